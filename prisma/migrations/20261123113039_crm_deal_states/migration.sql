-- CreateTable
CREATE TABLE "crm_deal_states" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "source" "DealSource" NOT NULL,
    "external_id" TEXT NOT NULL,
    "lost" BOOLEAN NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "crm_deal_states_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "crm_deal_states_workspace_id_source_external_id_key" ON "crm_deal_states"("workspace_id", "source", "external_id");

-- AddForeignKey
ALTER TABLE "crm_deal_states" ADD CONSTRAINT "crm_deal_states_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
