"""The area implementing agency's desk (Fujian measures Arts. 5, 12, 15-17; Shanghai's service
centre): queue and clocks, opinions, spot-checks and orders, incidents, six-monthly reports and
filing packages. Everything procedural is read from the list files' `procedures[].agency`."""
