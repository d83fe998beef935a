from .navigation import nav_items


def service(request) -> dict:
    return {"nav_items": nav_items(request)}
