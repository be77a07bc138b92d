-- CreateEnum
CREATE TYPE "PerspectiveRole" AS ENUM ('sales_engineer', 'manager', 'customer_success', 'other');

-- CreateEnum
CREATE TYPE "LessonSource" AS ENUM ('outcome', 'reply');

-- AlterTable
ALTER TABLE "retros" ADD COLUMN     "agenda_ts" TEXT,
ADD COLUMN     "team_retro_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "team_retro_started_by_slack_user_id" TEXT;

-- CreateTable
CREATE TABLE "perspectives" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "author_slack_user_id" TEXT NOT NULL,
    "role" "PerspectiveRole" NOT NULL,
    "saw" TEXT NOT NULL,
    "would_change" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "message_ts" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "perspectives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retro_outcomes" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "primary_reason" TEXT NOT NULL,
    "message_ts" TEXT,
    "closed_by_slack_user_id" TEXT NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retro_outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retro_outcome_revisions" (
    "id" UUID NOT NULL,
    "outcome_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "saved_by_slack_user_id" TEXT NOT NULL,
    "saved_at" TIMESTAMPTZ(3) NOT NULL,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "retro_outcome_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lessons" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "share_with_new_reps" BOOLEAN NOT NULL DEFAULT false,
    "source" "LessonSource" NOT NULL,
    "source_message_ts" TEXT,
    "position" INTEGER,
    "author_slack_user_id" TEXT,
    "created_by_slack_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lessons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_items" (
    "id" UUID NOT NULL,
    "retro_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "owner_slack_user_id" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "position" INTEGER NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    "due_reminder_sent_at" TIMESTAMPTZ(3),
    "created_by_slack_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "action_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "perspectives_retro_id_author_slack_user_id_key" ON "perspectives"("retro_id", "author_slack_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "retro_outcomes_retro_id_key" ON "retro_outcomes"("retro_id");

-- CreateIndex
CREATE UNIQUE INDEX "retro_outcome_revisions_outcome_id_revision_key" ON "retro_outcome_revisions"("outcome_id", "revision");

-- CreateIndex
CREATE INDEX "lessons_retro_id_source_idx" ON "lessons"("retro_id", "source");

-- CreateIndex
CREATE UNIQUE INDEX "lessons_retro_id_source_message_ts_key" ON "lessons"("retro_id", "source_message_ts");

-- CreateIndex
CREATE INDEX "action_items_due_on_done_at_idx" ON "action_items"("due_on", "done_at");

-- CreateIndex
CREATE UNIQUE INDEX "action_items_retro_id_position_key" ON "action_items"("retro_id", "position");

-- AddForeignKey
ALTER TABLE "perspectives" ADD CONSTRAINT "perspectives_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_outcomes" ADD CONSTRAINT "retro_outcomes_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retro_outcome_revisions" ADD CONSTRAINT "retro_outcome_revisions_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "retro_outcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_retro_id_fkey" FOREIGN KEY ("retro_id") REFERENCES "retros"("id") ON DELETE CASCADE ON UPDATE CASCADE;
