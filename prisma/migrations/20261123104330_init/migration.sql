-- CreateEnum
CREATE TYPE "DealSource" AS ENUM ('manual', 'hubspot', 'salesforce', 'pipedrive', 'generic');

-- CreateEnum
CREATE TYPE "RetroStatus" AS ENUM ('open', 'debriefed', 'reviewed', 'reopened');

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL,
    "slack_team_id" TEXT NOT NULL,
    "name" TEXT,
    "retro_channel_id" TEXT,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "source" "DealSource" NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "amount" DECIMAL(16,2),
    "currency" CHAR(3),
    "owner_slack_user_id" TEXT,
    "owner_email" TEXT,
    "owner_name" TEXT,
    "competitor" TEXT,
    "crm_loss_reason" TEXT,
    "crm_url" TEXT,
    "lost_at" TIMESTAMPTZ(3) NOT NULL,
    "logged_by_slack_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retros" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "deal_id" UUID NOT NULL,
    "loss_number" INTEGER NOT NULL DEFAULT 1,
    "channel_id" TEXT NOT NULL,
    "message_ts" TEXT,
    "prompt_ts" TEXT,
    "status" "RetroStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "debriefed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "retros_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "debriefs" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "author_slack_user_id" TEXT NOT NULL,
    "primary_reason" TEXT NOT NULL,
    "secondary_reasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "outcome" TEXT NOT NULL,
    "winner_name" TEXT,
    "why_winner_won" TEXT,
    "price_to_value" TEXT,
    "buyer_words" TEXT,
    "went_well" TEXT,
    "went_wrong" TEXT,
    "feature_gaps" TEXT,
    "revisit_on" DATE,
    "summary_ts" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "debriefs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "thread_replies" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "message_ts" TEXT NOT NULL,
    "author_slack_user_id" TEXT,
    "text" TEXT NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "thread_replies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_slack_team_id_key" ON "workspaces"("slack_team_id");

-- CreateIndex
CREATE UNIQUE INDEX "deals_workspace_id_source_external_id_key" ON "deals"("workspace_id", "source", "external_id");

-- CreateIndex
CREATE INDEX "retros_workspace_id_created_at_idx" ON "retros"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "retros_deal_id_loss_number_key" ON "retros"("deal_id", "loss_number");

-- CreateIndex
CREATE UNIQUE INDEX "retros_channel_id_message_ts_key" ON "retros"("channel_id", "message_ts");

-- CreateIndex
CREATE UNIQUE INDEX "debriefs_retro_id_author_slack_user_id_key" ON "debriefs"("retro_id", "author_slack_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "thread_replies_retro_id_message_ts_key" ON "thread_replies"("retro_id", "message_ts");

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retros" ADD CONSTRAINT "retros_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retros" ADD CONSTRAINT "retros_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "debriefs" ADD CONSTRAINT "debriefs_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_replies" ADD CONSTRAINT "thread_replies_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;
