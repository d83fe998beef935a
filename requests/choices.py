"""Fixed lists from the guidance and the DfE's SEN2 return."""

from django.db import models


class YearGroup(models.TextChoices):
    R = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


class SenProvision(models.TextChoices):
    SEN_SUPPORT = "K", "SEN Support"
    EHC_PLAN = "E", "Education, Health and Care plan"


class Need(models.TextChoices):
    """SEN2 primary and secondary need codes."""

    SPLD = "SPLD", "Specific Learning Difficulty"
    MLD = "MLD", "Moderate Learning Difficulty"
    SLD = "SLD", "Severe Learning Difficulty"
    PMLD = "PMLD", "Profound and Multiple Learning Difficulty"
    SEMH = "SEMH", "Social, Emotional and Mental Health"
    SLCN = "SLCN", "Speech, Language and Communication Needs"
    HI = "HI", "Hearing Impairment"
    VI = "VI", "Vision Impairment"
    MSI = "MSI", "Multi-Sensory Impairment"
    PD = "PD", "Physical Disability"
    ASD = "ASD", "Autistic Spectrum Disorder"
    OTH = "OTH", "Other Difficulty or Disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class HomeLocalAuthority(models.TextChoices):
    KENT = "kent", "Kent"
    OTHER = "other", "Another local authority"


class ExceptionalReason(models.TextChoices):
    OTHER_LA = "other_la", "Pupil with high needs from another local authority"
    SUDDEN_CHANGE = "sudden_change", "Sudden change in the child's condition"
    TRIBUNAL = "tribunal", "Tribunal order"
    NEW_ADMISSION = (
        "new_admission",
        ("New admission, or support arrangements likely to change soon"),
    )
    SHORT_ALLOCATION = "short_allocation", "Short allocation to support a placement pending review"
