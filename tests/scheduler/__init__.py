"""The clock: jobs, leader and notices at their times."""
