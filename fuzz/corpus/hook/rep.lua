local s = string.rep("", 1 << 50)
local u = string.rep("ab", 1 << 22, ",")
return nil
