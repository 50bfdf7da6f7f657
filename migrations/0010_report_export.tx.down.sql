DROP TABLE report_export;
