-- AlterTable
ALTER TABLE "retros" ADD COLUMN     "permalink" TEXT,
ADD COLUMN     "previous_retro_id" UUID,
ADD COLUMN     "reopened_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "retros_previous_retro_id_key" ON "retros"("previous_retro_id");

-- AddForeignKey
ALTER TABLE "retros" ADD CONSTRAINT "retros_previous_retro_id_fkey" FOREIGN KEY ("previous_retro_id") REFERENCES "retros"("id") ON DELETE SET NULL ON UPDATE CASCADE;
