# Indicators with quarterly targets arrive with the monthly reporting issue.
