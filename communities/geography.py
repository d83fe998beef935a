"""Kent's fixed geography: four areas and the twelve districts in them, with GSS codes."""

AREAS_AND_DISTRICTS: dict[str, list[tuple[str, str]]] = {
    "North": [
        ("Dartford", "E07000107"),
        ("Gravesham", "E07000109"),
        ("Sevenoaks", "E07000111"),
    ],
    "South": [
        ("Ashford", "E07000105"),
        ("Dover", "E07000108"),
        ("Folkestone and Hythe", "E07000112"),
    ],
    "East": [
        ("Canterbury", "E07000106"),
        ("Thanet", "E07000114"),
        ("Swale", "E07000113"),
    ],
    "West": [
        ("Maidstone", "E07000110"),
        ("Tonbridge and Malling", "E07000115"),
        ("Tunbridge Wells", "E07000116"),
    ],
}

KENT_LA_CODE = "886"


def ensure_geography(area_model, district_model) -> None:
    """Create the areas and districts if missing (idempotent). Used by the data migration
    with its historical models and by code whose database may have been emptied (tests
    that flush tables)."""
    if district_model.objects.count() == sum(len(d) for d in AREAS_AND_DISTRICTS.values()):
        return
    for area_name, districts in AREAS_AND_DISTRICTS.items():
        area, _ = area_model.objects.get_or_create(name=area_name)
        for name, gss_code in districts:
            district_model.objects.update_or_create(
                gss_code=gss_code, defaults={"name": name, "area": area}
            )
