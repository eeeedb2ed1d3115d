-- browse: one page of a queue's tasks by listing, for TaskBrowser.list. Read-only; work in proportion to the page.
-- KEYS[1..12] the priority block (_levels.lua: levels, priorities, ready list of each level 0..9)
-- KEYS[13] delayed  KEYS[14] active  KEYS[15] dead  KEYS[16] finished
-- ARGV[1] 'ready' | 'scheduled' | 'active' | 'dead' | 'finished'  ARGV[2] offset  ARGV[3] limit
-- Replies: {total, id_1, ..., id_n}, the ids in the listing's order:
-- ready: the levels highest first, each list head (oldest) first: LLEN of each level in use, then LRANGE of the
--   lists the page falls on; scheduled: delayed by due time; active: by lease expiry; dead: oldest death first;
--   finished: newest first.
-- Uses level_list and levels_desc (_levels.lua), which Script.java puts in front of this text.
local offset = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local listing = ARGV[1]

local function page_of(key, reverse)
  local total = redis.call('ZCARD', key)
  local ids
  if reverse then
    ids = redis.call('ZRANGE', key, offset, offset + limit - 1, 'REV')
  else
    ids = redis.call('ZRANGE', key, offset, offset + limit - 1)
  end
  local out = {total}
  for i = 1, #ids do out[#out + 1] = ids[i] end
  return out
end

if listing == 'scheduled' then return page_of(KEYS[13], false) end
if listing == 'active' then return page_of(KEYS[14], false) end
if listing == 'dead' then return page_of(KEYS[15], false) end
if listing == 'finished' then return page_of(KEYS[16], true) end

local lists = {}
local total = 0
for _, p in ipairs(levels_desc(1)) do
  local key = level_list(1, p)
  local n = redis.call('LLEN', key)
  lists[#lists + 1] = {key, n}
  total = total + n
end
local out = {total}
local skip = offset
for _, list in ipairs(lists) do
  local need = limit - (#out - 1)
  if need <= 0 then break end
  if skip >= list[2] then
    skip = skip - list[2]
  else
    local ids = redis.call('LRANGE', list[1], skip, skip + need - 1)
    for i = 1, #ids do out[#out + 1] = ids[i] end
    skip = 0
  end
end
return out
