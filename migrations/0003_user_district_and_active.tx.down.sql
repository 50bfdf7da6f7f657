ALTER TABLE "user" DROP COLUMN is_active, DROP COLUMN id_school_district;
