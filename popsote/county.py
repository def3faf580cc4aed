"""The installation's own county, as the settings give it (``COUNTY_*``), for every template."""

from django.conf import settings


def county(request):
    return {
        "county": {
            "name": settings.COUNTY_NAME,
            "short_name": settings.COUNTY_SHORT_NAME or settings.COUNTY_NAME,
            "business_id": settings.COUNTY_BUSINESS_ID,
            "logo": settings.COUNTY_LOGO,
        }
    }
