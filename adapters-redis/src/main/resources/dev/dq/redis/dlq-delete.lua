#!lua flags=allow-oom
-- dlq-delete: delete dead entries (and all they hold); ids that are not dead are left alone.
-- KEYS[1] dead  KEYS[2] tasks  KEYS[3] attempts  KEYS[4] failures  KEYS[5] dumps  KEYS[6] priorities (hash id -> level)
-- ARGV[1] highest sequence to delete, or '' for any (a purge passes the highest one dead when it started)
-- ARGV[2 ..] ids
-- Replies: how many were deleted (integer)
local max = ARGV[1] ~= '' and tonumber(ARGV[1]) or nil
local n = 0
for i = 2, #ARGV do
  local seq = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if seq and (not max or tonumber(seq) <= max) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
    redis.call('HDEL', KEYS[5], ARGV[i])
    redis.call('HDEL', KEYS[6], ARGV[i])
    n = n + 1
  end
end
return n
