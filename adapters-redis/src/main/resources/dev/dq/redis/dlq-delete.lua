#!lua flags=allow-oom
-- dlq-delete: delete dead entries (and their task hashes); ids that are not dead are left alone.
-- KEYS[1] dead  KEYS[1+i] task:<id i>, i = 1..n
-- ARGV[1] highest sequence to delete, or '' for any (a purge passes the highest one dead when it started)
-- ARGV[1+i] id i
-- Replies: how many were deleted (integer)
local max = ARGV[1] ~= '' and tonumber(ARGV[1]) or nil
local n = 0
for i = 2, #ARGV do
  local seq = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if seq and (not max or tonumber(seq) <= max) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('DEL', KEYS[i])
    n = n + 1
  end
end
return n
