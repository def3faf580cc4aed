# Salkku shows dates and numbers the Finnish way in every interface language.
from popsote.formats.fi.formats import *  # noqa: F403
