// Every identifier Slack sends back to Debrief, in one place. slack-manifest.yml must agree with
// COMMANDS and SHORTCUTS; test/unit/slack/manifest.test.ts checks that it does.

export const COMMANDS = {
  losses: '/losses',
} as const;

export const SHORTCUTS = {
  logLostDeal: 'log_lost_deal',
  /** Message shortcut: a manager keeps a thread reply as a lesson of the retro. */
  markAsLesson: 'mark_as_lesson',
} as const;

export const CALLBACKS = {
  logLostDealModal: 'log_lost_deal_modal',
  debriefModal: 'debrief_modal',
  perspectiveModal: 'perspective_modal',
  retroOutcomeModal: 'retro_outcome_modal',
  markLessonModal: 'mark_lesson_modal',
  searchModal: 'search_modal',
  digestSettingsModal: 'digest_settings_modal',
  /** /losses settings: the workspace's retro channel, managers, nudge timing and competitors. */
  workspaceSettingsModal: 'workspace_settings_modal',
  /** The workspace's generic-webhook connections, pushed from the settings modal. */
  crmConnectionsModal: 'crm_connections_modal',
  newCrmConnectionModal: 'new_crm_connection_modal',
  /** The workspace's loss reasons, pushed from the settings modal; and the form to add or rename one. */
  lossReasonsModal: 'loss_reasons_modal',
  lossReasonFormModal: 'loss_reason_form_modal',
  replaceCrmCredentialsModal: 'replace_crm_credentials_modal',
  /** /losses data delete: what goes, and the workspace's name typed to confirm. */
  workspaceDataDeleteModal: 'workspace_data_delete_modal',
} as const;

export const ACTIONS = {
  openDebrief: 'open_debrief',
  openLogModal: 'open_log_modal',
  viewThread: 'view_thread',
  /** The revisit follow-up DM's buttons; each carries the debrief id. */
  followUpSnoozeTwoWeeks: 'follow_up_snooze_2w',
  followUpSnoozeOneMonth: 'follow_up_snooze_1m',
  followUpDone: 'follow_up_done',
  openPerspective: 'open_perspective',
  runTeamRetro: 'run_team_retro',
  /** Opens the outcome modal: first "Record outcome", later "Edit outcome" (same modal, prefilled). */
  recordOutcome: 'record_outcome',
  /** Search results' "More results": the value carries the query and where the next page starts. */
  searchMore: 'search_more',
  /** The App Home's "Search past losses": opens the search modal. */
  openSearch: 'open_search',
} as const;

/** The search modal's query input (App Home > Search past losses). */
export const SEARCH_INPUTS = {
  query: { block: 'search_query', action: 'search_query_input' },
} as const;

/** block_id and action_id of each input in the "Log a lost deal" modal. */
export const LOG_INPUTS = {
  dealName: { block: 'deal_name', action: 'deal_name_input' },
  amount: { block: 'amount', action: 'amount_input' },
  currency: { block: 'currency', action: 'currency_select' },
  owner: { block: 'owner', action: 'owner_select' },
  competitor: { block: 'competitor', action: 'competitor_input' },
  crmUrl: { block: 'crm_url', action: 'crm_url_input' },
  lostOn: { block: 'lost_on', action: 'lost_on_picker' },
} as const;

/** block_id and action_id of each input in the debrief modal. */
export const DEBRIEF_INPUTS = {
  primaryReason: { block: 'primary_reason', action: 'primary_reason_select' },
  secondaryReasons: { block: 'secondary_reasons', action: 'secondary_reasons_select' },
  outcome: { block: 'outcome', action: 'outcome_select' },
  winnerName: { block: 'winner_name', action: 'winner_name_input' },
  whyWinnerWon: { block: 'why_winner_won', action: 'why_winner_won_input' },
  priceToValue: { block: 'price_to_value', action: 'price_to_value_select' },
  buyerWords: { block: 'buyer_words', action: 'buyer_words_input' },
  wentWell: { block: 'went_well', action: 'went_well_input' },
  wentWrong: { block: 'went_wrong', action: 'went_wrong_input' },
  featureGaps: { block: 'feature_gaps', action: 'feature_gaps_input' },
  revisitOn: { block: 'revisit_on', action: 'revisit_on_picker' },
  anonymous: { block: 'debrief_anonymous', action: 'debrief_anonymous_checkbox' },
} as const;

/** block_id and action_id of each input in the "Add my perspective" modal. */
export const PERSPECTIVE_INPUTS = {
  role: { block: 'perspective_role', action: 'perspective_role_select' },
  saw: { block: 'perspective_saw', action: 'perspective_saw_input' },
  wouldChange: { block: 'perspective_would_change', action: 'perspective_would_change_input' },
  anonymous: { block: 'perspective_anonymous', action: 'perspective_anonymous_checkbox' },
} as const;

/** The value of the checkbox option that keeps a name out of digests. */
export const ANONYMOUS_OPTION_VALUE = 'anonymous';
/** The value of the checkbox option that flags a lesson for new reps. */
export const SHARE_WITH_NEW_REPS_VALUE = 'share_with_new_reps';

/**
 * Inputs of the "Record outcome" modal. Lessons and action items come in numbered rows (0-based),
 * so their ids are functions of the row.
 */
export const OUTCOME_INPUTS = {
  primaryReason: { block: 'outcome_primary_reason', action: 'outcome_primary_reason_select' },
  lesson: (row: number) => ({ block: `outcome_lesson_${row}`, action: `outcome_lesson_${row}_input` }),
  lessonShare: (row: number) => ({ block: `outcome_lesson_${row}_share`, action: `outcome_lesson_${row}_share_checkbox` }),
  actionText: (row: number) => ({ block: `outcome_action_${row}_text`, action: `outcome_action_${row}_text_input` }),
  actionOwner: (row: number) => ({ block: `outcome_action_${row}_owner`, action: `outcome_action_${row}_owner_select` }),
  actionDue: (row: number) => ({ block: `outcome_action_${row}_due`, action: `outcome_action_${row}_due_picker` }),
} as const;

/** Inputs of the "Mark as lesson" modal. */
export const MARK_LESSON_INPUTS = {
  text: { block: 'lesson_text', action: 'lesson_text_input' },
  share: { block: 'lesson_share', action: 'lesson_share_checkbox' },
} as const;

/** block_id and action_id of each input in the digest settings modal. */
export const DIGEST_SETTINGS_INPUTS = {
  channelId: { block: 'digest_channel', action: 'digest_channel_select' },
  weekday: { block: 'digest_weekday', action: 'digest_weekday_select' },
  hour: { block: 'digest_hour', action: 'digest_hour_select' },
  timeZone: { block: 'digest_time_zone', action: 'digest_time_zone_input' },
  enabled: { block: 'digest_enabled', action: 'digest_enabled_checkbox' },
} as const;

/** The checkbox value that keeps the weekly digest on. */
export const DIGEST_ENABLED_VALUE = 'enabled';

/** block_id and action_id of each input in the /losses settings modal. */
export const WORKSPACE_SETTINGS_INPUTS = {
  retroChannelId: { block: 'settings_retro_channel', action: 'settings_retro_channel_select' },
  managerUserGroupId: { block: 'settings_manager_group', action: 'settings_manager_group_select' },
  managerUserIds: { block: 'settings_manager_users', action: 'settings_manager_users_select' },
  debriefNudgeAfter: { block: 'settings_nudge_after', action: 'settings_nudge_after_select' },
  competitors: { block: 'settings_competitors', action: 'settings_competitors_input' },
} as const;

/** The confirmation typed in the /losses data delete modal. */
export const WORKSPACE_DATA_DELETE_INPUTS = {
  confirmation: { block: 'data_delete_confirmation', action: 'data_delete_confirmation_input' },
} as const;

/** The manager-group select's option for "no group". */
export const NO_USER_GROUP_VALUE = 'none';

/** The CRM connections modals (/losses settings > Manage CRM connections). */
export const CRM_CONNECTION_ACTIONS = {
  manage: 'manage_crm_connections',
  /** "Add a generic webhook"; the other kinds' buttons are CRM_CONNECTION_ADD_ACTIONS. */
  add: 'add_crm_connection',
  /** The value carries the connection id. */
  revoke: 'revoke_crm_connection',
  /** A HubSpot connection's "Replace credentials"; the value carries the connection id. */
  replace: 'replace_crm_connection_credentials',
} as const;

/**
 * A view's action ids must be unique, and the list has a Revoke (and a Replace) per connection:
 * each button's id is the action's plus the connection id; perConnectionAction matches them all.
 */
export function perConnectionActionId(action: string, connectionId: string): string {
  return `${action}:${connectionId}`;
}
export function perConnectionAction(action: string): RegExp {
  return new RegExp(`^${action}(:|$)`);
}

/** One "Add" button per kind of connection (one block holds them, so each needs its own id). */
export const CRM_CONNECTION_ADD_ACTIONS = {
  generic: CRM_CONNECTION_ACTIONS.add,
  hubspot: 'add_crm_connection_hubspot',
  salesforce: 'add_crm_connection_salesforce',
  pipedrive: 'add_crm_connection_pipedrive',
} as const;

export const CRM_CONNECTION_INPUTS = {
  label: { block: 'crm_connection_label', action: 'crm_connection_label_input' },
  hubspotClientSecret: { block: 'crm_connection_hubspot_client_secret', action: 'crm_connection_hubspot_client_secret_input' },
  hubspotAccessToken: { block: 'crm_connection_hubspot_access_token', action: 'crm_connection_hubspot_access_token_input' },
  salesforceOrgId: { block: 'crm_connection_salesforce_org_id', action: 'crm_connection_salesforce_org_id_input' },
} as const;

/** /losses settings > Weekly digest: pushes the digest's own settings modal. */
export const WORKSPACE_SETTINGS_ACTIONS = {
  digestSchedule: 'open_digest_settings',
} as const;

/** /losses settings > Edit loss reasons. */
export const LOSS_REASON_ACTIONS = {
  manage: 'manage_loss_reasons',
  add: 'add_loss_reason',
  /** Each reason's menu (rename, move, retire, restore): this prefix and the reason's value, one id per row. */
  menuPrefix: 'loss_reason_menu:',
} as const;

export const LOSS_REASON_INPUTS = {
  label: { block: 'loss_reason_label', action: 'loss_reason_label_input' },
} as const;
