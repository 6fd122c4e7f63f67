"""The clock: periodic jobs as data, run by one leader process in Asia/Bangkok."""
