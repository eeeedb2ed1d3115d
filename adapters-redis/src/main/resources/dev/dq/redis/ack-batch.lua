#!lua flags=allow-oom
-- ack-batch: n tasks are done; forget each whose lease is still valid.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] acked (zset fencing token -> ms until which its ack is remembered)
-- KEYS[4 .. 3+n] task:<id_i>
-- ARGV[1 .. n] id_i  ARGV[n+1 .. 2n] fencing token_i  ARGV[2n+1] least ms to remember an ack
-- ARGV[2n+2] now ms override ('' = Redis TIME; test hook)
-- Replies: one integer per id, in order: 1 acked, by this call or an earlier ack-batch with the same lease
-- | 0 lease lost (nothing changed for that id)
-- Each ack is remembered by its token for three times what was left of its lease (at least ARGV[2n+1] ms), so that a
-- call repeated after a lost reply answers exactly, whichever leases it groups. Tokens are unique per delivery.
-- Uses server_now (_now.lua) and lease_expiry (_lease.lua), which Script.java puts in front of this text.
local n = #KEYS - 3
local now = server_now(ARGV[#ARGV])
local least = tonumber(ARGV[2 * n + 1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local reply = {}
local remembered = {}
local longest = 0
for i = 1, n do
  local id, token = ARGV[i], ARGV[n + i]
  local exp = lease_expiry(KEYS[1], KEYS[2], id, token, now)
  if not exp then
    if redis.call('ZSCORE', KEYS[3], token) then reply[i] = 1 else reply[i] = 0 end
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('DEL', KEYS[3 + i])
    local keep = math.max(least, 3 * (tonumber(exp) - now))
    if keep > longest then longest = keep end
    remembered[#remembered + 1] = now + keep
    remembered[#remembered + 1] = token
    reply[i] = 1
  end
end
if #remembered > 0 then
  redis.call('ZADD', KEYS[3], unpack(remembered))
  -- The set itself goes once its last entry is due, so an idle queue does not keep its last window of acks.
  if redis.call('PTTL', KEYS[3]) < longest then redis.call('PEXPIRE', KEYS[3], longest) end
end
return reply
