"""Dates: Chinese working days (with 调休) and the county's annual milestones."""
