-- A retro's search document reads only these columns of the retro itself (debrief_search_refresh:
-- r.id, r.workspace_id, r.deal_id, r.channel_id, r.status; links are joined at query time). Before,
-- every update of a retro rebuilt its document, including the three writes of the thread's
-- message ts, prompt ts and permalink as a new loss's thread opens: needless work, and a deadlock
-- with a debrief saved in that moment (the debrief's own trigger holds the document's row while
-- its transaction waits to mark the retro; the retro's update held the retro while its trigger
-- waited for the document). Keep this list in step with what debrief_search_refresh reads.
DROP TRIGGER IF EXISTS search_documents_retros ON retros;
CREATE TRIGGER search_documents_retros AFTER INSERT OR UPDATE OF workspace_id, deal_id, channel_id, status ON retros
  FOR EACH ROW EXECUTE FUNCTION debrief_search_on_retro();
