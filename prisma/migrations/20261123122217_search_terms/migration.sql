-- DropIndex
DROP INDEX "search_documents_names_trgm_idx";

-- CreateTable
CREATE TABLE "search_terms" (
    "workspace_id" UUID NOT NULL,
    "term" TEXT NOT NULL,

    CONSTRAINT "search_terms_pkey" PRIMARY KEY ("workspace_id","term")
);

-- CreateIndex
CREATE INDEX "search_terms_term_trgm_idx" ON "search_terms" USING GIN ("term" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "search_terms" ADD CONSTRAINT "search_terms_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Written by hand: the refresh function also records the words of deal and competitor names in
-- search_terms (the rest is as in *_search_relevance_tiers); existing names are added once here.
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION debrief_search_refresh(targets UUID[]) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_documents AS doc (
    retro_id, workspace_id, channel_id, deal_name, competitor, names, owner_slack_user_id, owner_name,
    named_author_slack_user_ids, anonymous_author_slack_user_ids, primary_reason, reasons, outcome,
    status, amount, currency, lost_at, lessons_count, body, document, key_document, story_document, refreshed_at)
  SELECT
    s.retro_id, s.workspace_id, s.channel_id, s.deal_name, s.competitor,
    concat_ws(' ', s.deal_name, s.competitor),
    s.owner_slack_user_id, s.owner_name, s.named_authors, s.anonymous_authors, s.primary_reason,
    s.reasons, s.outcome, s.status, s.amount, s.currency, s.lost_at, s.lessons_count,
    left(concat_ws(E'\n', s.deal_name, s.competitor, s.reason_words, s.crm_loss_reason, s.why_winner_won,
      s.buyer_words, s.story, s.perspectives, s.lessons, s.replies), 200000),
    v.a || v.b || v.c || v.d,
    v.a || v.b,
    v.a || v.b || v.c,
    clock_timestamp()
  FROM (
    SELECT
      r.id AS retro_id, r.workspace_id, r.channel_id, r.status, d.name AS deal_name,
      coalesce(deb.winner_name, d.competitor) AS competitor,
      -- Every name a winner went by (the CRM and the rep may spell it differently).
      concat_ws(' ', deb.winner_names, CASE WHEN d.competitor IS DISTINCT FROM deb.winner_name THEN d.competitor END) AS winner_names,
      d.owner_slack_user_id,
      nullif(concat_ws(' ', d.owner_name, d.owner_email), '') AS owner_name,
      coalesce(ARRAY(SELECT DISTINCT unnest(deb.authors || persp.named_authors) ORDER BY 1), '{}') AS named_authors,
      coalesce(ARRAY(SELECT DISTINCT unnest(deb.anonymous_authors || persp.anonymous_authors) ORDER BY 1), '{}') AS anonymous_authors,
      coalesce(o.primary_reason, deb.primary_reason) AS primary_reason,
      rs.reasons,
      debrief_search_reason_words(rs.reasons) AS reason_words,
      deb.outcome,
      d.amount, d.currency, d.lost_at, d.crm_loss_reason,
      deb.why_winner_won, deb.buyer_words, deb.story,
      persp.text AS perspectives,
      coalesce(les.n, 0) AS lessons_count, les.text AS lessons,
      rep.text AS replies
    FROM retros r
    JOIN deals d ON d.id = r.deal_id
    LEFT JOIN retro_outcomes o ON o.retro_id = r.id
    LEFT JOIN LATERAL (
      -- The owner's debrief speaks for the retro; other authors' answers are searchable too.
      SELECT
        (array_agg(db.primary_reason ORDER BY coalesce(db.author_slack_user_id = d.owner_slack_user_id, false) DESC, db.updated_at DESC))[1] AS primary_reason,
        (array_agg(db.outcome ORDER BY coalesce(db.author_slack_user_id = d.owner_slack_user_id, false) DESC, db.updated_at DESC))[1] AS outcome,
        (array_agg(db.winner_name ORDER BY coalesce(db.author_slack_user_id = d.owner_slack_user_id, false) DESC, db.updated_at DESC)
          FILTER (WHERE db.winner_name IS NOT NULL))[1] AS winner_name,
        string_agg(db.winner_name, ' ') AS winner_names,
        array_agg(db.author_slack_user_id) FILTER (WHERE NOT db.anonymous) AS authors,
        array_agg(db.author_slack_user_id) FILTER (WHERE db.anonymous) AS anonymous_authors,
        string_agg(db.why_winner_won, E'\n') AS why_winner_won,
        string_agg(db.buyer_words, E'\n') AS buyer_words,
        nullif(string_agg(concat_ws(E'\n', db.went_well, db.went_wrong, db.feature_gaps), E'\n'), '') AS story
      FROM debriefs db
      WHERE db.retro_id = r.id
    ) deb ON true
    LEFT JOIN LATERAL (
      SELECT coalesce(array_agg(DISTINCT reason ORDER BY reason), '{}') AS reasons
      FROM (
        SELECT o.primary_reason AS reason
        UNION SELECT db.primary_reason FROM debriefs db WHERE db.retro_id = r.id
        UNION SELECT unnest(db.secondary_reasons) FROM debriefs db WHERE db.retro_id = r.id
      ) given
      WHERE reason IS NOT NULL
    ) rs ON true
    LEFT JOIN LATERAL (
      SELECT
        string_agg(concat_ws(E'\n', p.saw, p.would_change), E'\n' ORDER BY p.created_at) AS text,
        array_agg(p.author_slack_user_id) FILTER (WHERE NOT p.anonymous) AS named_authors,
        array_agg(p.author_slack_user_id) FILTER (WHERE p.anonymous) AS anonymous_authors
      FROM perspectives p
      WHERE p.retro_id = r.id
    ) persp ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::INT AS n, string_agg(l.text, E'\n' ORDER BY l.position NULLS LAST, l.created_at) AS text
      FROM lessons l
      WHERE l.retro_id = r.id
    ) les ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(debrief_search_plain_text(t.text), E'\n' ORDER BY t.posted_at) AS text
      FROM thread_replies t
      WHERE t.retro_id = r.id AND t.deleted_at IS NULL
    ) rep ON true
    WHERE r.id = ANY(targets)
  ) s
  -- A: what a deal is called; B: why it was lost and what we learned; C: what people said; D: the thread.
  CROSS JOIN LATERAL (
    SELECT
      setweight(to_tsvector('english', concat_ws(' ', s.deal_name, s.winner_names)), 'A') AS a,
      setweight(to_tsvector('english', concat_ws(' ', s.reason_words, s.crm_loss_reason, s.why_winner_won, s.lessons)), 'B') AS b,
      setweight(to_tsvector('english', left(concat_ws(' ', s.buyer_words, s.story, s.perspectives), 100000)), 'C') AS c,
      setweight(to_tsvector('english', left(coalesce(s.replies, ''), 100000)), 'D') AS d
  ) v
  ON CONFLICT (retro_id) DO UPDATE SET
    workspace_id = EXCLUDED.workspace_id,
    channel_id = EXCLUDED.channel_id,
    deal_name = EXCLUDED.deal_name,
    competitor = EXCLUDED.competitor,
    names = EXCLUDED.names,
    owner_slack_user_id = EXCLUDED.owner_slack_user_id,
    owner_name = EXCLUDED.owner_name,
    named_author_slack_user_ids = EXCLUDED.named_author_slack_user_ids,
    anonymous_author_slack_user_ids = EXCLUDED.anonymous_author_slack_user_ids,
    primary_reason = EXCLUDED.primary_reason,
    reasons = EXCLUDED.reasons,
    outcome = EXCLUDED.outcome,
    status = EXCLUDED.status,
    amount = EXCLUDED.amount,
    currency = EXCLUDED.currency,
    lost_at = EXCLUDED.lost_at,
    lessons_count = EXCLUDED.lessons_count,
    body = EXCLUDED.body,
    document = EXCLUDED.document,
    key_document = EXCLUDED.key_document,
    story_document = EXCLUDED.story_document,
    refreshed_at = EXCLUDED.refreshed_at;

  -- The words of the names, for typo-tolerant lookups (see search_terms).
  INSERT INTO search_terms (workspace_id, term)
  SELECT DISTINCT sd.workspace_id, word
  FROM search_documents sd
  CROSS JOIN LATERAL regexp_split_to_table(lower(sd.names), '[^[:alnum:]]+') AS word
  WHERE sd.retro_id = ANY(targets) AND length(word) >= 3
  -- One order for everyone, so two refreshes adding the same words cannot deadlock.
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
END;
$$;

INSERT INTO search_terms (workspace_id, term)
SELECT DISTINCT sd.workspace_id, word
FROM search_documents sd
CROSS JOIN LATERAL regexp_split_to_table(lower(sd.names), '[^[:alnum:]]+') AS word
WHERE length(word) >= 3
ON CONFLICT DO NOTHING;
