#!lua flags=allow-oom
-- extend-batch: push each of n leases' expiry to now + lease ms, each judged on its own, in one round trip.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] acked (zset fencing token -> ms until which its ack is remembered)
-- ARGV[1] lease ms  ARGV[2 .. 1+n] id_i  ARGV[2+n .. 1+2n] fencing token_i
-- ARGV[2+2n] now ms override ('' = Redis TIME; test hook)
-- Replies: {new expiry ms, then one integer per id, in order: 1 extended | 0 lease lost (nothing changed for that id)
--          | 2 already acked with this lease by ack-batch (a renewal that raced the task's own ack: nothing to renew,
--            nothing lost)}
-- allow-oom: renewing held leases must go on when Redis is at maxmemory, or running tasks would be handed out twice.
-- An entry touches only its own member of active and field of leases, so one entry's outcome never changes another's.
-- Uses server_now (_now.lua) and lease_expiry (_lease.lua), which Script.java puts in front of this text.
local n = (#ARGV - 2) / 2
local now = server_now(ARGV[#ARGV])
local expiry = now + tonumber(ARGV[1])
local reply = {expiry}
for i = 1, n do
  local id = ARGV[1 + i]
  if not lease_expiry(KEYS[1], KEYS[2], id, ARGV[1 + n + i], now) then
    if redis.call('ZSCORE', KEYS[3], ARGV[1 + n + i]) then
      reply[1 + i] = 2
    else
      reply[1 + i] = 0
    end
  else
    redis.call('ZADD', KEYS[1], 'XX', expiry, id)
    reply[1 + i] = 1
  end
end
return reply
