DROP TABLE reporting_period;
