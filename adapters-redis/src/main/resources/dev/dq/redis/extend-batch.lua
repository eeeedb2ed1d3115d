#!lua flags=allow-oom
-- extend-batch: push each of n leases' expiry to now + lease ms, each judged on its own, in one round trip.
-- KEYS[1] active  KEYS[2] leases  KEYS[3 ..] acked:<b> bitmaps (see ack-batch.lua)
-- ARGV[1] lease ms  ARGV[2] now ms override ('' = Redis TIME; test hook)  ARGV[3] n
-- ARGV[4 .. 3+n] id_i  ARGV[4+n .. 3+2n] fencing token_i
-- ARGV[4+2n .. 3+3n] index in KEYS of the acked bitmap of token_i  ARGV[4+3n .. 3+4n] bit of token_i in it
-- Replies: {new expiry ms, then one integer per id, in order: 1 extended | 0 lease lost (nothing changed for that id)
--          | 2 already acked with this lease by ack-batch (a renewal that raced the task's own ack: nothing to renew,
--            nothing lost)}
-- allow-oom: renewing held leases must go on when Redis is at maxmemory, or running tasks would be handed out twice.
-- An entry touches only its own member of active, so one entry's outcome never changes another's.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local n = tonumber(ARGV[3])
local now = server_now(ARGV[2])
local expiry = now + tonumber(ARGV[1])
local ids = {}
for i = 1, n do ids[i] = ARGV[3 + i] end
local expiries = redis.call('ZMSCORE', KEYS[1], unpack(ids))
local tokens = redis.call('HMGET', KEYS[2], unpack(ids))
local reply = {expiry}
local renew = {}
for i = 1, n do
  local exp = expiries[i]
  if tokens[i] == ARGV[3 + n + i] and exp and tonumber(exp) > now then
    renew[#renew + 1] = expiry
    renew[#renew + 1] = ids[i]
    reply[1 + i] = 1
  elseif redis.call('GETBIT', KEYS[tonumber(ARGV[3 + 2 * n + i])], ARGV[3 + 3 * n + i]) == 1 then
    reply[1 + i] = 2
  else
    reply[1 + i] = 0
  end
end
if #renew > 0 then redis.call('ZADD', KEYS[1], 'XX', unpack(renew)) end
return reply
