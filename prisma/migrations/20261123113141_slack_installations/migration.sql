-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "uninstalled_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "slack_installations" (
    "id" UUID NOT NULL,
    "install_key" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "is_enterprise_install" BOOLEAN NOT NULL DEFAULT false,
    "sealed_installation" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_installations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_installations_install_key_key" ON "slack_installations"("install_key");
