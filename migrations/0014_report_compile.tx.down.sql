DROP TABLE report_compile;
