-- Yiwu dibao: identity numbers are checked before dibao is granted.
--
-- A member's 18-character citizen identity number (公民身份号码,
-- GB 11643-1999) holds the birth date in characters 7-14 and ends in a
-- check character computed from the first 17 digits (ISO 7064 MOD 11-2).
-- When a counted member's number is malformed, fails its check character
-- or disagrees with the birth date given, the application is held for
-- verification (outcome identity_unverified) instead of being decided on
-- data that may belong to someone else. Members without a number are not
-- checked. Tables and expressions cannot say this: it reads characters.
local ctx = ...

-- only decisions that would grant something wait for verification
if ctx.status ~= "eligible" and ctx.status ~= "individual" and ctx.status ~= "marginal" then
  return nil
end

local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local check_chars = "10X98765432"

-- nil when the number is sound; otherwise what is wrong, in Chinese and English
local function problem(member)
  local number = member.id_number
  if number == nil then
    return nil
  end
  if #number ~= 18 then
    return "不是18位", "is not 18 characters long"
  end
  local sum = 0
  for i = 1, 17 do
    local digit = number:byte(i) - 48
    if digit < 0 or digit > 9 then
      return "前17位含非数字字符", "has a character that is not a digit among the first 17"
    end
    sum = sum + digit * weights[i]
  end
  local want = check_chars:sub(sum % 11 + 1, sum % 11 + 1)
  if number:sub(18, 18):upper() ~= want then
    return "校验码不符", "fails its check character"
  end
  local birth = number:sub(7, 10) .. "-" .. number:sub(11, 12) .. "-" .. number:sub(13, 14)
  if birth ~= member.birth_date then
    return "与出生日期 " .. member.birth_date .. " 不一致", "disagrees with the birth date " .. member.birth_date
  end
  return nil
end

for _, member in ipairs(ctx.facts.counted) do
  local zh, en = problem(member)
  if zh then
    return {
      outcome = "identity_unverified",
      reason = {
        code = "DIBAO_ID_NUMBER_UNVERIFIED",
        zh = "成员 " .. member.id .. " 的公民身份号码" .. zh .. "，核实后再行认定",
        en = "the identity number of member " .. member.id .. " " .. en .. "; to be decided after verification",
      },
    }
  end
end
return nil
