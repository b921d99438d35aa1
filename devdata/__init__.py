"""Data for development, tests and benchmarks: factories, the demo office, a million cases of volume.

Installed only by the local and test settings (INSTALLED_APPS); production neither imports it nor
installs its packages (factory-boy, Faker, time-machine are development dependencies).
"""
