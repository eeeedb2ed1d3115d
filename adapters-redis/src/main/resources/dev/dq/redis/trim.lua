#!lua flags=allow-oom
-- trim: remove the ended tasks of a queue beyond its retention, oldest first, a bounded number per call.
-- KEYS[1] finished (zset id -> finished ms)  KEYS[2] records (hash id -> JSON)  KEYS[3] unique  KEYS[4] unique-of
-- KEYS[5] unique-until  KEYS[6] dead (zset id -> death sequence)  KEYS[7] tasks  KEYS[8] attempts  KEYS[9] failures
-- KEYS[10] dumps  KEYS[11] priorities  KEYS[12] errors  KEYS[13] started  KEYS[14] cancelled
-- ARGV[1] finished ms (keep finished tasks this long)  ARGV[2] finished max (keep at most this many)
-- ARGV[3] dead ms  ARGV[4] dead max  ARGV[5] most entries to look at per kind (finished, dead, unique windows)
-- ARGV[6] now ms override ('' = Redis TIME; test hook)
-- Replies: {finished removed, dead removed, unique keys released}
-- Finished: the oldest beyond the max (ZRANGE), then those that finished before now - finished ms (ZRANGEBYSCORE);
-- each loses its `finished` and `records` entries and, unless its id is held again, its unique key (release_unique).
-- Dead: the oldest beyond the max, then, in order of death, those whose failure (`failures`, failed_at_ms) is older
-- than now - dead ms, stopping at the first younger one; each loses everything, as dlq-delete does.
-- Unique windows: keys whose window passed leave unique-until; the key and its unique-of entry go too unless the task
-- that took it is still held and not dead (then it stays held until that task ends).
-- Uses server_now (_now.lua) and release_unique (_unique.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[6])
local limit = tonumber(ARGV[5])

local function drop_finished(id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  if redis.call('HEXISTS', KEYS[7], id) == 0 then release_unique(KEYS[3], KEYS[4], KEYS[5], id, now) end
end

local finished = 0
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, math.min(excess, limit) - 1)) do
    drop_finished(id); finished = finished + 1
  end
end
if finished < limit then
  local cutoff = now - tonumber(ARGV[1])
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. cutoff, 'LIMIT', 0, limit - finished)) do
    drop_finished(id); finished = finished + 1
  end
end

local function drop_dead(id)
  redis.call('ZREM', KEYS[6], id)
  for k = 7, 14 do redis.call('HDEL', KEYS[k], id) end
  release_unique(KEYS[3], KEYS[4], KEYS[5], id, now)
end

local dead = 0
excess = redis.call('ZCARD', KEYS[6]) - tonumber(ARGV[4])
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, math.min(excess, limit) - 1)) do
    drop_dead(id); dead = dead + 1
  end
end
if dead < limit then
  local cutoff = now - tonumber(ARGV[3])
  for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, limit - dead - 1)) do
    local failure = redis.call('HGET', KEYS[9], id)
    local at = failure and tonumber(string.match(failure, '"failed_at_ms"%s*:%s*(%-?%d+)'))
    if at and at >= cutoff then break end
    drop_dead(id); dead = dead + 1 -- a dead entry without a failure time is as old as can be
  end
end

local released = 0
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZREM', KEYS[5], key)
  local id = redis.call('HGET', KEYS[3], key)
  if id and not (redis.call('HEXISTS', KEYS[7], id) == 1 and not redis.call('ZSCORE', KEYS[6], id)) then
    redis.call('HDEL', KEYS[3], key)
    if redis.call('HGET', KEYS[4], id) == key then redis.call('HDEL', KEYS[4], id) end
    released = released + 1
  end
end
return {finished, dead, released}
