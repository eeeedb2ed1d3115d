#!lua flags=allow-oom
-- dlq-delete: delete dead entries (and all they hold); ids that are not dead are left alone.
-- KEYS[1] dead  KEYS[2] tasks  KEYS[3] attempts  KEYS[4] failures  KEYS[5] dumps  KEYS[6] priorities (hash id -> level)
-- KEYS[7] unique (hash key -> id)  KEYS[8] unique-of (hash id -> key)  KEYS[9] unique-until (zset key -> ms)
-- KEYS[10] errors  KEYS[11] started  KEYS[12] cancelled (hashes by id; a dead task should have none, but one buried
--   unread by an older claim may)
-- ARGV[1] highest sequence to delete, or '' for any (a purge passes the highest one dead when it started)
-- ARGV[2] now ms override ('' = Redis TIME; test hook)
-- ARGV[3 ..] ids
-- Replies: how many were deleted (integer)
-- The unique key a deleted task took is released (release_unique, _unique.lua) unless a later task holds it.
-- Uses server_now (_now.lua) and release_unique (_unique.lua), which Script.java puts in front of this text.
local max = ARGV[1] ~= '' and tonumber(ARGV[1]) or nil
local now = server_now(ARGV[2])
local n = 0
for i = 3, #ARGV do
  local seq = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if seq and (not max or tonumber(seq) <= max) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
    redis.call('HDEL', KEYS[5], ARGV[i])
    redis.call('HDEL', KEYS[6], ARGV[i])
    redis.call('HDEL', KEYS[10], ARGV[i])
    redis.call('HDEL', KEYS[11], ARGV[i])
    redis.call('HDEL', KEYS[12], ARGV[i])
    release_unique(KEYS[7], KEYS[8], KEYS[9], ARGV[i], now)
    n = n + 1
  end
end
return n
