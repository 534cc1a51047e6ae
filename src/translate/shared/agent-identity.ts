// Claude Code puts an identity string in Anthropic `metadata.user_id`:
// `user_<sha256>_account_<uuid>_session_<uuid>` (some versions send the same facts as a JSON
// object string). The whole string is the agent id; the session uuid, when present, is the session.
export interface AgentIdentity {
  agentId: string;
  sessionId?: string;
}

const SESSION = /_session_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function parseAgentIdentity(userId: string): AgentIdentity | undefined {
  const agentId = userId.trim();
  if (agentId === '') return undefined;
  const m = SESSION.exec(agentId);
  if (m?.[1] !== undefined) return { agentId, sessionId: m[1].toLowerCase() };
  const fromJson = sessionFromJson(agentId);
  return fromJson === undefined ? { agentId } : { agentId, sessionId: fromJson };
}

function sessionFromJson(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const session = (value as Record<string, unknown>).session_id;
    return typeof session === 'string' && session !== '' ? session : undefined;
  } catch {
    return undefined;
  }
}
