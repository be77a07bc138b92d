-- Written by hand (Prisma has no words for it): finer statistics on the search vectors.
-- With the default target, a word missing from the sample counts as about 0.1% of the rows, which
-- is enough for the planner to read the (workspace_id, lost_at) index newest first and filter:
-- for a word found in no document (a misspelling) that means reading every row. Ten times the
-- list of common lexemes makes rare and absent words small in its eyes, so it asks the GIN index.
ALTER TABLE "search_documents" ALTER COLUMN "document" SET STATISTICS 1000;
ALTER TABLE "search_documents" ALTER COLUMN "key_document" SET STATISTICS 1000;
ALTER TABLE "search_documents" ALTER COLUMN "story_document" SET STATISTICS 1000;
