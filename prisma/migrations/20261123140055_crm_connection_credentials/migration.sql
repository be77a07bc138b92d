-- AlterTable
ALTER TABLE "crm_connections" ADD COLUMN     "sealed_credentials" TEXT,
ALTER COLUMN "sealed_signing_secret" DROP NOT NULL;
