// Anything a person typed is escaped before it goes into mrkdwn: Slack reads <!channel>, <@U…>
// and <url|label> as control sequences, so unescaped text could ping a whole channel or forge a link.

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A person's words given back verbatim in a code block (a failed save's "here is what you
 * wrote"): escaped like any text, and a ``` inside cannot close the block early.
 */
export function codeBlockMrkdwn(text: string): string {
  return `\`\`\`${escapeMrkdwn(text).replace(/```/g, '`\u200b``')}\`\`\``;
}

/** Quotes every line of a person's words as a mrkdwn block quote. */
export function quoteMrkdwn(text: string): string {
  return escapeMrkdwn(text)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

export function mentionUser(slackUserId: string): string {
  return `<@${slackUserId}>`;
}

/** A link whose label is user text; the URL has been validated as http(s) before reaching here. */
export function linkMrkdwn(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|]/g, encodeURIComponent);
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  // Never keep half of a surrogate pair (an emoji): a lone surrogate is not valid UTF-8.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
