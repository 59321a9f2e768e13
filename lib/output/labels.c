/* The catalogue of user-facing labels: Chinese and English side by side. */
#include "output.h"

static const struct {
    const char *zh, *en;
} labels[L__COUNT] = {
    [L_HOUSEHOLD] = {"家庭", "Household"},
    [L_DATE] = {"评估日期", "date"},
    [L_POLICY] = {"政策", "Policy"},
    [L_VERSION] = {"版本", "version"},
    [L_MONTHLY] = {"每月", "monthly"},
    [L_TOTAL] = {"合计每月", "Total per month"},
    [L_REASONS] = {"理由", "Reasons"},
    [L_BASIS] = {"依据", "basis"},
    [L_MISSING] = {"缺少的信息（补齐后才能认定）", "Missing facts (needed for a decision)"},
    [L_MEMBERS] = {"成员", "Members"},
    [L_YUAN] = {"元", "yuan"},
    [L_FACTS] = {"认定情况", "Facts"},
    [L_TRACE] = {"计算过程", "Trace"},
    [L_ERROR] = {"错误", "Error"},
    [L_ILLUSTRATIVE] = {"示例值，待核实", "illustrative value, to confirm"},
    [L_ROUNDED] = {"取整", "rounded"},
    [L_CATEGORY] = {"类别", "category"},
    [L_OUTCOME] = {"认定结果", "outcome"},
    [L_CHECK_FAILED] = {"未通过", "not met"},
    [L_MISSING_SHORT] = {"缺少", "missing"},
    [L_ABSENT] = {"不计入家庭的人员", "Not in the household on this date"},
    [L_CHOICES] = {"择一享受", "Choices between programs"},
    [L_WHY_STATED] = {"按家庭已选择的项目", "the route the household chose"},
    [L_WHY_PAYS_MORE] = {"按家庭待遇较高的项目", "the route that pays the household more"},
    [L_WHY_TIE] = {"各项目家庭待遇相同，按政策规定的优先项目", "equal totals: the bundle's preferred route"},
    [L_TAKEN] = {"选择", "taken"},
    [L_ROUTE_TOTAL] = {"家庭每月合计", "household total per month"},
    [L_HOW] = {"金额计算", "How the amount is made"},
    [L_ILLUSTRATIVE_LIST] = {"所用示例值（待核实后再发放）", "Illustrative values used (confirm before paying)"},
    [L_STARRED] = {"带 * 的为示例值，待核实", "values marked * are illustrative, to confirm"},
};

/* Built-in titles; a bundle names them better (policies/cn/enums.yaml). */
static const struct {
    const char *zh, *en;
} statuses[] = {
    {"不符合条件", "ineligible"},
    {"符合条件", "eligible"},
    {"边缘", "marginal"},
    {"单人纳入", "individual enrolment"},
    {"渐退期", "gradual exit (phase-out)"},
    {"待定（信息不全）", "undetermined (facts missing)"},
    {"无法评估（政策缺少数值或出错）", "error (the rules cannot be evaluated)"},
};

const char *civr__label(civr_label l, bool zh)
{
    return zh ? labels[l].zh : labels[l].en;
}

const char *civr__status_label(const civr_policy *p, civr_status s, bool zh)
{
    if ((unsigned)s >= CIVR__COUNT(statuses))
        return "?";
    const civr_text *t = p && p->nenums > CIVR_ENUM_STATUS && (unsigned)s < p->enums[CIVR_ENUM_STATUS].count
                             ? &p->enums[CIVR_ENUM_STATUS].values[s].title
                             : NULL;
    const char *title = t ? (zh ? t->zh : t->en) : NULL;
    return title ? title : zh ? statuses[s].zh : statuses[s].en;
}

const char *civr__choice_why_name(uint8_t why)
{
    static const char *const names[] = {"stated", "pays_more", "tie_preferred"};
    return why < CIVR__COUNT(names) ? names[why] : "?";
}
