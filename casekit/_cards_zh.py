"""The data cards in Simplified Chinese, for the ``zh_CN`` locale.

A Chinese card is the English card of the same case and options, translated
line by line.  Each English line is cut into its fixed text and its values
(numbers, dates, percentages and quoted names, matched by :data:`VALUE`); the
fixed text, with ``{}`` where the values were, is looked up in :data:`LINES`,
and the values are put back into the Chinese text.  The Chinese card therefore
states exactly the English card's numbers, formatted the same way, and an
English line that has no Chinese counterpart makes :func:`translate` fail
instead of leaving English in the Chinese card.

Lines without prose (blank lines, table rules, ``### <table>`` headings and
table rows of a name and values only) are the same in both languages.  Category
labels and column names stay English, as in the data; where a column holds
labels, the Chinese text gives each label in a code span with its meaning.
"""

from __future__ import annotations

import re

#: A value of an English card line: a quoted name, a date, or a number (with its
#: sign after a space or bracket, and its percent sign).
VALUE = re.compile(
    r"'[a-z_]+'|\d{4}-\d{2}-\d{2}"
    r"|(?:(?<=[\s(（：，、；])[+-])?(?<![A-Za-z_.\d])\d+(?:\.\d+)?%?"
)
#: Lines that read the same in Chinese.
SAME = re.compile(r"|\|(?:-{3}\|)+|### [a-z_]+|\| [A-Za-z_]+ \|(?: \{\} \|)+")


def split(line: str) -> tuple[str, list[str]]:
    """The fixed text of a card line (values replaced by ``{}``) and its values."""
    return VALUE.sub("{}", line), VALUE.findall(line)


def translate(card: str) -> str:
    """The Chinese text of the English data card ``card``, line by line."""
    out = []
    for line in card.split("\n"):
        key, values = split(line)
        if SAME.fullmatch(key):
            out.append(line)
            continue
        if key not in LINES:
            raise KeyError(f"render: the card line {line!r} has no Chinese text; add "
                           f"{key!r} to the Chinese card lines")
        out.append(LINES[key].format(*values))
    return "\n".join(out)


_TX = ("Also the unified `case.transactions` view (order_id, customer_id, date, amount, "
       "gross_margin, channel).")
_TX_ZH = ("统一视图 `case.transactions`（order_id、customer_id、date、amount、gross_margin、"
          "channel）也由它构成。")
_DIRTY = ("`tables[{}]` holds the customers as sales, service and billing recorded them: "
          "record_id, source, name, {}phone, email, address, city, with duplicates, typos, "
          "format variants of names, phones, addresses{}, and missing values. `case.record_map` "
          "(record_id, customer_id) is the true mapping.")
_DIRTY_ZH = ("`tables[{{}}]` 保存销售、服务和账务部门各自记录的客户：record_id、source、"
             "name、{}phone、email、address、city；其中有重复记录和拼写错误，{}有不同的写法，还有"
             "缺失值。`case.record_map`（record_id、customer_id）是真实的对应关系。")

# Keys: English card lines with ``{}`` for their values; the Chinese text takes the values
# in the English order, or by number (``{1}``) where Chinese puts them in another order.
LINES = {
    # -- the parts every card has ------------------------------------------------------
    "- Time span: {} to {} (the end is the first moment after the horizon).":
        "- 时间跨度：{} 至 {}（终点是观察期结束后的第一个时刻）。",
    "- Currency: CNY (yuan at the English edition's price levels: every number is the one "
    "the English edition shows, so the course's numbers hold in both; only names and text "
    "are Chinese, and category labels stay in English).":
        "- 货币：CNY（人民币元，沿用英文版的价格水平：每个数字都与英文版相同，因此课程中的数字在"
        "两个版本中"
        "都成立；只有姓名和文字是中文，类别标签保留英文）。",
    "- Default dataset: {} customers, random seed {}, locale en_US; `casekit.load_case({})`. "
    "Any size: `casekit.generate_case({}, n_customers=..., seed=...)`.":
        "- 默认数据集：{} 位客户，随机种子 {}，区域设置 en_US；`casekit.load_case({})`（加上 "
        "`locale=\"zh_CN\"`，或先调用 `casekit.set_language(\"zh\")`，得到同一批客户的中文数据）。"
        "任意规模：`casekit.generate_case({}, n_customers=..., seed=...)`。",
    "- Every constant of the simulation comes from one of the readings or is a stated "
    "assumption; the model below names both.":
        "- 模拟中的每个常数要么来自某篇阅读材料，要么是明确说明的假设；下面的模型逐一注明。",
    "## Behaviour model": "## 行为模型",
    "## The reading's facts in the data": "## 阅读材料中的事实在数据中的再现",
    "## Facts the data reproduce": "## 数据再现的事实",
    "Population values, which a large generated case reproduces within a point or two; the "
    "default dataset is close to them.":
        "以下是总体值：生成的大规模案例能在一两个百分点之内再现它们，默认数据集与之接近。",
    "Population values, which a large generated case reproduces; the default dataset is "
    "close to them.":
        "以下是总体值：生成的大规模案例能再现它们，默认数据集与之接近。",
    "## What the truth assumes": "## 真实值的假设",
    "## Tables": "## 数据表",
    "| column | meaning |": "| 列 | 含义 |",
    "## Truth (`case.truth`, one row per customer; never in the tables)":
        "## 真实值（`case.truth`，每位客户一行；从不出现在数据表中）",
    "| customer_id | customer |": "| customer_id | 客户 |",
    "| alive | still a customer at the end of the horizon |":
        "| alive | 观察期结束时仍是客户 |",
    "| churn_date | when the customer was lost (NaT if alive) |":
        "| churn_date | 客户流失的时间（仍是客户则为 NaT） |",
    "## Dirty variant (`dirty=True`)": "## 脏数据版本（`dirty=True`）",
    _DIRTY.format("{}", "company, ", " and company suffixes"):
        _DIRTY_ZH.format("company、", "姓名、电话、地址和公司名后缀"),
    _DIRTY.format("{}", "", ""): _DIRTY_ZH.format("", "姓名、电话和地址"),
    "## Known quirks": "## 已知的特殊之处",
    "| name | name |": "| name | 姓名 |",
    "| email | e-mail |": "| email | 电子邮箱 |",
    "| phone | phone in the locale's format |": "| phone | 电话，按区域设置的格式 |",
    "| city | city |": "| city | 城市 |",
    "| address | street address |": "| address | 街道地址 |",

    # -- office_supplies ---------------------------------------------------------------
    "# office_supplies: a B2B office-supplies reseller":
        "# office_supplies：一家 B2B 办公用品经销商",
    "Non-contractual, continuous (the office-supplies article, Reading {}). Each account "
    "places its first order on its start date, then orders as a Poisson process with rate "
    "lambda per week, lambda ~ Gamma(r={}, alpha={}), for as long as it stays. Its lifetime "
    "is exponential with dropout rate mu per week, mu ~ Gamma(s={}, beta={}), drawn "
    "independently of lambda: the Pareto/NBD model. An account can therefore leave at any "
    "moment, before its second order too, and nothing in the orders announces it. Order "
    "amounts net of discount are Gamma-Gamma: amount ~ Gamma(p={}, nu), nu ~ Gamma(q={}, "
    "gamma={}) in USD, a mean order of about {} USD.":
        "非契约型、连续时间（办公用品文章，阅读材料 {}）。每个账户在起始日下第一笔订单，此后只要"
        "仍是客户，"
        "就按每周 lambda 次的泊松过程下单，lambda ~ Gamma(r={}, alpha={})。它的生命期服从指数分布，"
        "每周流失率为 mu，mu ~ Gamma(s={}, beta={})，与 lambda 相互独立：这就是 Pareto/NBD 模型。"
        "因此账户可能在任何时刻离开，包括在第二笔订单之前，而订单中没有任何预兆。扣除折扣后的订单"
        "金额服从 "
        "Gamma-Gamma 模型：amount ~ Gamma(p={}, nu)，nu ~ Gamma(q={}, gamma={})，以 USD 计"
        "（人民币版沿用同样的数值，金额即为元），平均每笔订单约 {} USD。",
    "A competitor arrives on {}: from then on each live account's dropout rate is multiplied "
    "by {} if its account manager visits regularly and by {} if visits are irregular ({} of "
    "managers). Before the shock contact regularity does not change dropout, so every order "
    "before {} follows plain Pareto/NBD with the parameters above (`case.population`, "
    "`calibration_end`). New accounts come at {} of the first year's pace in the second year "
    "(the first year also brings in the firm's existing book) and at {} in the third.":
        "竞争对手于 {} 进入：从这天起，客户经理拜访规律的在册账户流失率乘以 {}，拜访不规律的乘以 {}"
        "（{} 的客户经理拜访不规律）。在这次冲击之前，接触是否规律不影响流失，因此 {} 之前的每笔"
        "订单"
        "都服从上述参数下的普通 Pareto/NBD 模型（`case.population`、`calibration_end`）。第二年新"
        "账户"
        "的增速是第一年的 {}（第一年还包括企业原有的客户），第三年是 {}。",
    "Campaign responses are independent of ordering. True uplift of a campaign on the "
    "response rate, by size band: small {} points (base {}), medium {} points (base {}), "
    "large {} points (base {}).":
        "营销活动的响应与下单无关。按规模档，营销活动对响应率的真实提升为：`small` {} 个百分点"
        "（基准 {}），`medium` {} 个百分点（基准 {}），`large` {} 个百分点（基准 {}）。",
    "- Yearly churn (accounts alive on {} January that leave during the year, from `truth`; "
    "`casekit.churn_in_period`): about {} in {} and {} in {}, a rise of more than {} points "
    "as in the office-supplies article (Reading {}).":
        "- 年流失率（{0} 月 {0} 日仍是客户、当年内离开的账户，依据 `truth`；`casekit.churn_in_per"
        "iod`）："
        "{2} 年约为 {1}，{4} 年约为 {3}，上升了 {5} 多个百分点，与办公用品文章（阅读材料 {6}）一"
        "致。",
    "- Activity classes (Reading {}) as of {}, over the {} months up to that day cut into "
    "monthly slices: A active = an order in every month; B semi-active = not A, an order in "
    "every quarter; C inactive = no order in the last {} months; D = the rest, whom the "
    "reading's rule leaves out (last order {}-{} months ago, or a quarter skipped, including "
    "accounts younger than a year). Every account that ever ordered is counted; revenue is "
    "that of the {} months. This is the rule of `casekit.abc_activity` with its defaults.":
        "- 活跃度分类（阅读材料 {}），截至 {}，把此前的 {} 个月按月切分：A 活跃 = 每个月都有订单；"
        "B 半活跃 = 不属于 A，但每个季度都有订单；C 不活跃 = 最近 {} 个月没有订单；D = 其余账户，"
        "阅读材料的规则没有涵盖它们（最后一笔订单在 {}-{} 个月前，或有一个季度没有订单，包括不满"
        "一年的账户）。"
        "凡是下过订单的账户都计入；收入是这 {} 个月的收入。这就是 `casekit.abc_activity` 在默认参"
        "数下的规则。",
    "| class | accounts | revenue |": "| 类别 | 账户 | 收入 |",
    "  Active and semi-active accounts are {} of all accounts ever served and bring {} of "
    "the revenue, as the reading's firm found ({} of revenue from the active {} of "
    "customers). Both facts hold together only because most accounts restock every few "
    "weeks: an account that orders less often than about once a month skips a quarter now "
    "and then and drops to D.":
        "  活跃和半活跃账户占所有服务过的账户的 {}，带来 {} 的收入，与阅读材料中那家企业的发现一致"
        "（{} 的收入来自活跃的 {} 客户）。这两个事实之所以能同时成立，只是因为大多数账户每隔几周"
        "就补货一次："
        "下单频率低于大约每月一次的账户，时不时会有一个季度没有订单，从而落入 D 类。",
    "- It can produce: accounts that leave silently at any moment, including one-order "
    "accounts; heavy and light buyers, large and small orders, independently of each other; "
    "a competitor who raises every account's dropout rate from one day on, more where the "
    "account manager visits irregularly.":
        "- 它能产生：在任何时刻悄然离开的账户，包括只下过一笔订单的账户；购买频繁和稀少的客户、金"
        "额大和小的订单，"
        "两者相互独立；一个从某天起提高所有账户流失率的竞争对手，客户经理拜访不规律的账户提高得更"
        "多。",
    "- It cannot produce: seasonality or a trend in an account's order rate; a lost account "
    "coming back; any effect of tickets, discounts, the pipeline or campaign responses on "
    "ordering or dropout; any effect of contact regularity before the competitor arrives; a "
    "link between how often an account buys and how long it stays.":
        "- 它不能产生：账户下单频率的季节性或趋势；流失的账户重新回来；服务工单、折扣、销售漏斗或"
        "营销活动响应"
        "对下单或流失的任何影响；竞争对手进入之前接触规律性的任何影响；账户购买频率与留存时间之间"
        "的关联。",
    "- Safe to draw from the truth: which accounts are still customers, how well a model or "
    "a rule (RFM, activity classes, P(alive)) tells them apart, how many more left after the "
    "competitor arrived and how much more among irregularly visited accounts, and the true "
    "campaign uplift by size band.":
        "- 可以放心从真实值得出的结论：哪些账户仍是客户，一个模型或规则（RFM、活跃度分类、P(alive"
        ")）"
        "能多好地区分它们，竞争对手进入后多流失了多少、拜访不规律的账户又多流失了多少，以及按规模"
        "档的"
        "营销活动真实提升。",
    "- Not safe: that tickets, discounts or campaigns cause or prevent churn (the simulation "
    "rules it out, so the data cannot show it), or anything about seasons.":
        "- 不能得出的结论：服务工单、折扣或营销活动导致或阻止了客户流失（模拟排除了这种影响，所以"
        "数据无法显示它），"
        "以及任何关于季节的结论。",
    "One row per business customer (account).": "每个企业客户（账户）一行。",
    "| customer_id | account id, `OS-{}`, in order of first order |":
        "| customer_id | 账户编号，`OS-{}`，按首笔订单的先后排列 |",
    "| company | company name (a repeated name gets its branch city) |":
        "| company | 公司名称（重名的公司加上分支机构所在城市） |",
    "| industry | industry of the customer |": "| industry | 客户所属行业 |",
    "| size_band | small / medium / large; the campaign segment |":
        "| size_band | `small` / `medium` / `large`（小、中、大）；营销活动的细分依据 |",
    "| employees | head count |": "| employees | 员工人数 |",
    "| contact_name | purchasing contact |": "| contact_name | 采购联系人 |",
    "| email | contact e-mail |": "| email | 联系人电子邮箱 |",
    "| manager_id | account manager in charge |": "| manager_id | 负责的客户经理 |",
    "| first_order_date | date of the first order (the account's start) |":
        "| first_order_date | 首笔订单的日期（账户的起始日） |",
    "The sales force.": "销售团队。",
    "| manager_id | account manager id, `AM-{}` |": "| manager_id | 客户经理编号，`AM-{}` |",
    "| team | sales team |": "| team | 销售小组 |",
    "The catalogue.": "产品目录。",
    "| product_id | SKU id |": "| product_id | SKU 编号 |",
    "| name | product name |": "| name | 产品名称 |",
    "| category | product category |": "| category | 产品类别 |",
    "| list_price | list price per unit, CNY |": "| list_price | 单位目录价，元 |",
    "| unit_cost | cost of goods per unit, CNY |": "| unit_cost | 单位商品成本，元 |",
    "One row per order. " + _TX: "每笔订单一行。" + _TX_ZH,
    "| order_id | order number (integer) |": "| order_id | 订单号（整数） |",
    "| customer_id | account |": "| customer_id | 账户 |",
    "| date | order time, to the second, business hours |":
        "| date | 下单时间，精确到秒，在营业时间内 |",
    "| amount | revenue net of discount, CNY |": "| amount | 扣除折扣后的收入，元 |",
    "| gross_margin | amount minus cost of goods of the lines, CNY |":
        "| gross_margin | 金额减去各订单行的商品成本，元 |",
    "| channel | account manager / web shop / phone / EDI |":
        "| channel | `account manager` / `web shop` / `phone` / `EDI`（客户经理、网店、电话、电子"
        "数据交换） |",
    "| discount_rate | discount in force for the account when ordering ({} = {}) |":
        "| discount_rate | 下单时该账户适用的折扣（{} = {}） |",
    "| n_lines | number of order lines |": "| n_lines | 订单行数 |",
    "Order lines.": "订单行。",
    "| order_id | order |": "| order_id | 订单 |",
    "| line_no | line number within the order |": "| line_no | 订单内的行号 |",
    "| product_id | SKU |": "| product_id | SKU（库存单位） |",
    "| quantity | units |": "| quantity | 数量（件） |",
    "| net_amount | revenue of the line after discount, CNY; lines sum to the order amount; "
    "list price and unit cost are in `products` |":
        "| net_amount | 该行扣除折扣后的收入，元；各行之和等于订单金额；目录价和单位成本见 `produ"
        "cts` |",
    "Discounts granted by account managers (invisible to the service desk in the firm of "
    "the office-supplies article, Reading {}).":
        "客户经理给予的折扣（办公用品文章中那家企业的客服看不到这些折扣，阅读材料 {}）。",
    "| discount_id | grant number |": "| discount_id | 折扣编号 |",
    "| manager_id | who granted it |": "| manager_id | 给予折扣的客户经理 |",
    "| date | when it took effect |": "| date | 生效时间 |",
    "| rate | discount on list price ({} = {}) |": "| rate | 相对目录价的折扣（{} = {}） |",
    "| reason | signup / volume / retention / price match |":
        "| reason | `signup` / `volume` / `retention` / `price match`（签约、批量、挽留、价格匹配"
        "） |",
    "Contact history of the sales force (by the account's manager).":
        "销售团队的接触记录（由账户的客户经理进行）。",
    "| contact_id | contact number |": "| contact_id | 接触编号 |",
    "| date | time of contact |": "| date | 接触时间 |",
    "| type | visit / phone / email |":
        "| type | `visit` / `phone` / `email`（拜访、电话、电子邮件） |",
    "Service tickets, each about an order.": "服务工单，每张涉及一笔订单。",
    "| ticket_id | ticket number |": "| ticket_id | 工单编号 |",
    "| order_id | order concerned |": "| order_id | 涉及的订单 |",
    "| date | time opened |": "| date | 创建时间 |",
    "| type | stock-out / broken delivery promise / billing query / damaged delivery / "
    "wrong item |":
        "| type | `stock-out` / `broken delivery promise` / `billing query` / `damaged delivery` / "
        "`wrong item`（缺货、交货承诺落空、账单疑问、货物损坏、发错货） |",
    "| handling_hours | staff time spent, hours |": "| handling_hours | 员工处理时间，小时 |",
    "| resolved | closed to the customer's satisfaction |": "| resolved | 是否已让客户满意地结案 |",
    "The sales pipeline.": "销售漏斗。",
    "| opportunity_id | opportunity number |": "| opportunity_id | 商机编号 |",
    "| manager_id | account manager |": "| manager_id | 客户经理 |",
    "| created | when it was logged |": "| created | 登记时间 |",
    "| expected_close | expected or actual close date |":
        "| expected_close | 预计或实际的结束日期 |",
    "| stage | prospect / qualified / proposal (open), won, lost |":
        "| stage | `prospect` / `qualified` / `proposal`（进行中：潜在、已确认、已报价），`won`（"
        "赢单），"
        "`lost`（丢单） |",
    "| expected_value | value if won, CNY |": "| expected_value | 赢单后的金额，元 |",
    "Marketing campaigns with a random control group; join `companies` for the segment.":
        "带随机对照组的营销活动；细分信息需关联 `companies` 表。",
    "| campaign_id | campaign |": "| campaign_id | 营销活动 |",
    "| customer_id | targeted account |": "| customer_id | 目标账户 |",
    "| group | treatment (got the offer) or control (held out at random) |":
        "| group | `treatment`（实验组，收到了优惠）或 `control`（对照组，随机留出） |",
    "| date | campaign date |": "| date | 营销活动日期 |",
    "| responded | responded within the campaign window |": "| responded | 是否在活动期内响应 |",
    "| acquisition_date | time of the first order |": "| acquisition_date | 首笔订单的时间 |",
    "| lambda_ | order rate per week while alive |": "| lambda_ | 仍是客户时每周的下单率 |",
    "| mu | dropout rate per week before the competitor shock (mean lifetime {} / mu weeks) |":
        "| mu | 竞争对手冲击之前的每周流失率（平均生命期 {} / mu 周） |",
    "| mu_after_shock | dropout rate per week from the competitor shock on |":
        "| mu_after_shock | 竞争对手冲击之后的每周流失率 |",
    "| mean_order_value | expected order amount, CNY (Gamma-Gamma p / nu) |":
        "| mean_order_value | 期望订单金额，元（Gamma-Gamma 模型的 p / nu） |",
    "| irregular_contact | the account manager visits irregularly |":
        "| irregular_contact | 客户经理拜访不规律 |",
    "- Order lines split the order amount in proportion to list value, so a line's net price "
    "can differ a little from list price times ({} - discount).":
        "- 订单行按目录价值的比例分摊订单金额，因此某一行的净价可能与目录价乘以 ({} - 折扣) 略有"
        "差别。",
    "- Several orders of one account can fall on the same day; fit BTYD models on times, or "
    "accept the small loss when aggregating by day.":
        "- 同一账户的几笔订单可能落在同一天；请按时间拟合 BTYD 模型，或接受按天汇总时的少量信息损"
        "失。",
    "- Contacts continue for about two months after an account has silently left.":
        "- 账户悄然离开后，接触记录还会持续约两个月。",
    "- Tickets and pipeline do not change ordering in the simulation.":
        "- 在模拟中，服务工单和销售漏斗不会改变下单行为。",
    "- Every closed deal in the pipeline is won with the same chance, whoever the account "
    "manager: managers' win rates differ by chance alone.":
        "- 销售漏斗中每个已结束的商机赢单的机会都相同，与客户经理是谁无关："
        "经理之间赢单率的差异纯属偶然。",

    # -- insurance ---------------------------------------------------------------------
    "# insurance: a multi-line insurer with annual renewal":
        "# insurance：一家按年续保的多险种保险公司",
    "Contractual, discrete (Lecture {} on CRM and business process reengineering, Reading {}, "
    "and the insurance essays in Reading {}; a CPIC-like insurer). Each holder decides once a "
    "year, on the anniversary of the first policy, to renew all policies or let them all "
    "lapse: a shifted-beta-geometric model. The yearly lapse probability is theta = {} - ({} "
    "- theta0) ** m with theta0 ~ Beta(alpha, beta) for the first product and m the product "
    "of fixed service effects:":
        "契约型、离散时间（业务流程再造讲义第 {} 讲，阅读材料 {}，以及阅读材料 {} 中的保险篇；一"
        "家类似太平洋保险的"
        "保险公司）。每位投保人每年在首张保单的周年日做一次决定：续保全部保单，或让它们全部失效，"
        "这就是移位贝塔几何（sBG）模型。每年的不续保概率为 theta = {} - ({} - theta0) ** m，其中 th"
        "eta0 ~ "
        "Beta(alpha, beta) 取决于首个产品，m 是各项固定服务效应的乘积：",
    "| first product | share | alpha | beta | first-year retention |":
        "| 首个产品 | 占比 | alpha | beta | 第一年保留率 |",
    "| modifier | share of holders | effect m |": "| 修正因素 | 投保人占比 | 效应 m |",
    "Overall, the cohort survival curve matches an sBG with alpha = {}, beta = {} "
    "(`case.population`); the first-year retention is {}, and auto stays within an {}-{} "
    "first-year retention (assumption). The {} cohort is three times a later year's intake.":
        "总体上，同期群的生存曲线与 alpha = {}、beta = {} 的 sBG 模型一致（`case.population`）；"
        "第一年保留率为 {}，`auto` 的第一年保留率保持在 {}-{} 之间（假设）。{} 年同期群的人数是之后"
        "各年新增人数的三倍。",
    "Slow branches settle claims in about {} days (fast: {}), which brings complaints and "
    "disputes. Satisfaction scores track a holder's lapse propensity only weakly (weight {}): "
    "satisfaction is not loyalty (Reading {}).":
        "理赔慢的分公司大约需要 {} 天结案（快的：{} 天），由此引来投诉和纠纷。满意度得分与投保人"
        "的不续保倾向"
        "只有微弱的联系（权重 {}）：满意不等于忠诚（阅读材料 {}）。",
    "- First-renewal rate by first product as in the table above (within a few points).":
        "- 按首个产品的首次续保率与上表一致（相差几个百分点以内）。",
    "- An sBG fit on the {} cohort's counts of holders still insured recovers the alpha and "
    "beta above.":
        "- 用 {} 年同期群中仍在保的投保人数拟合 sBG 模型，可以还原上面的 alpha 和 beta。",
    "- The correlation between a survey score and renewal is weak (below {}).":
        "- 调查得分与续保之间的相关性很弱（低于 {}）。",
    "- It can produce: holders who renew all their policies or let them all lapse on the "
    "anniversary of the first one; lapse chances that differ by first product and by three "
    "fixed traits (a slow branch, a complaint-prone holder, an agent who does not remind); "
    "satisfaction scores only weakly linked to lapsing.":
        "- 它能产生：在首张保单周年日续保全部保单或让其全部失效的投保人；因首个产品和三个固定特征"
        "（理赔慢的分公司、爱投诉的投保人、不发提醒的代理人）而不同的不续保概率；与不续保只有微弱联系"
        "的满意度得分。",
    "- It cannot produce: a holder's lapse chance changing over time, except that survivors "
    "are the loyal ones; a single claim, complaint or reminder changing that chance by itself "
    "(they are signs of the fixed traits); premiums or price changes driving lapses; a lapsed "
    "holder coming back.":
        "- 它不能产生：投保人的不续保概率随时间变化（只是留下来的都是忠诚的投保人）；单独一次理赔、"
        "投诉或提醒"
        "本身改变这个概率（它们只是固定特征的表现）；保费或价格变化引起不续保；保单已失效的投保人重新回"
        "来。",
    "- Safe to draw from the truth: survival curves and sBG fits by cohort and product, the "
    "lapse gap between holders with and without each trait, and that satisfaction is a weak "
    "predictor of loyalty.":
        "- 可以放心从真实值得出的结论：按同期群和产品的生存曲线及 sBG 拟合，有无各项特征的投保人"
        "之间的不续保差距，"
        "以及满意度对忠诚的预测力很弱。",
    "- Not safe: the effect of sending one more reminder or settling one claim faster for a "
    "given holder; the traits are fixed, so the data compare kinds of holders, not "
    "interventions.":
        "- 不能得出的结论：给某位投保人多发一次提醒或把一笔理赔处理得更快会有什么效果；这些特征是"
        "固定的，"
        "所以数据比较的是不同类型的投保人，而不是干预措施。",
    "One row per policyholder.": "每位投保人一行。",
    "| customer_id | holder id, `PH-{}`, in order of joining |":
        "| customer_id | 投保人编号，`PH-{}`，按加入的先后排列 |",
    "| birth_year | year of birth |": "| birth_year | 出生年份 |",
    "| branch | branch that settles the holder's claims |":
        "| branch | 为该投保人处理理赔的分公司 |",
    "| channel | agent / bank / online |":
        "| channel | `agent` / `bank` / `online`（代理人、银行、网上） |",
    "| since | date of the first policy |": "| since | 首张保单的日期 |",
    "| cohort | year of the first policy (acquisition cohort) |":
        "| cohort | 首张保单的年份（获客同期群） |",
    "One row per policy; a holder can own several.": "每张保单一行；一位投保人可以持有多张保单。",
    "| policy_id | policy id |": "| policy_id | 保单编号 |",
    "| customer_id | holder |": "| customer_id | 投保人 |",
    "| product | auto / health / life / property |":
        "| product | `auto` / `health` / `life` / `property`（车险、健康险、寿险、财产险） |",
    "| channel | channel that sold it |": "| channel | 售出该保单的渠道 |",
    "| start_date | first day of cover |": "| start_date | 保障的第一天 |",
    "| end_date | lapse date (NaT while in force) |":
        "| end_date | 保单失效日期（仍有效时为 NaT） |",
    "| annual_premium | premium in the first year, CNY |": "| annual_premium | 第一年的保费，元 |",
    "| status | active / lapsed |": "| status | `active` / `lapsed`（有效、已失效） |",
    "One row per annual premium payment. " + _TX: "每次年度保费缴纳一行。" + _TX_ZH,
    "| order_id | payment number (integer) |": "| order_id | 缴费编号（整数） |",
    "| policy_id | policy |": "| policy_id | 保单 |",
    "| date | date paid (start of the policy year) |": "| date | 缴费日期（保单年度的第一天） |",
    "| amount | premium, CNY |": "| amount | 保费，元 |",
    "| gross_margin | premium minus expected claims and expenses, CNY |":
        "| gross_margin | 保费减去预期赔付和费用，元 |",
    "| channel | channel of the holder |": "| channel | 投保人的渠道 |",
    "| policy_year | {} for the first year of the policy, {} for the first renewal, ... |":
        "| policy_year | 保单第一年为 {}，第一次续保后为 {}，依此类推 |",
    "One row per renewal date reached: renewals and lapses.":
        "每个到达的续保日一行：包括续保和不续保。",
    "| renewal_date | anniversary of the holder's first policy |":
        "| renewal_date | 投保人首张保单的周年日 |",
    "| renewal_number | {} for the first renewal date, ... |":
        "| renewal_number | 第一个续保日为 {}，依此类推 |",
    "| renewed | True if the holder renewed, False if all policies lapsed |":
        "| renewed | 投保人续保为 True，全部保单不续保为 False |",
    "Claims with their settlement.": "理赔及其处理结果。",
    "| claim_id | claim number |": "| claim_id | 理赔编号 |",
    "| date | date reported |": "| date | 报案日期 |",
    "| claimed_amount | amount claimed, CNY |": "| claimed_amount | 索赔金额，元 |",
    "| paid_amount | amount paid, CNY (NaN if denied or open) |":
        "| paid_amount | 赔付金额，元（拒赔或未结案时为 NaN） |",
    "| settlement_days | days from report to settlement (NaN while open) |":
        "| settlement_days | 从报案到结案的天数（未结案时为 NaN） |",
    "| status | paid / denied / open |":
        "| status | `paid` / `denied` / `open`（已赔付、拒赔、未结案） |",
    "| disputed | the holder disputed the settlement |": "| disputed | 投保人对理赔结果提出异议 |",
    "Complaints and disputes.": "投诉与纠纷。",
    "| complaint_id | complaint number |": "| complaint_id | 投诉编号 |",
    "| date | date received |": "| date | 收到日期 |",
    "| type | claim delay / pricing / service attitude / mis-selling / billing |":
        "| type | `claim delay` / `pricing` / `service attitude` / `mis-selling` / `billing`"
        "（理赔拖延、定价、服务态度、销售误导、账单） |",
    "| escalated | escalated to a formal dispute |": "| escalated | 升级为正式纠纷 |",
    "| days_to_resolve | days until closed |": "| days_to_resolve | 结案所用天数 |",
    "Renewal reminders.": "续保提醒。",
    "| reminder_id | reminder number |": "| reminder_id | 提醒编号 |",
    "| date | date sent |": "| date | 发送日期 |",
    "| renewal_date | renewal it announces |": "| renewal_date | 所提醒的续保日 |",
    "| channel | agent call / sms / letter / app |":
        "| channel | `agent call` / `sms` / `letter` / `app`（代理人电话、短信、信函、应用） |",
    "Satisfaction surveys of a quarter of holders a year.":
        "满意度调查，每年调查四分之一的投保人。",
    "| survey_id | survey number |": "| survey_id | 调查编号 |",
    "| date | date answered |": "| date | 答卷日期 |",
    "| satisfaction | score {}-{} |": "| satisfaction | 得分 {}-{} |",
    "| primary_product | product of the first policy |": "| primary_product | 首张保单的产品 |",
    "| theta_base | yearly lapse probability before service effects |":
        "| theta_base | 计入服务效应之前的年不续保概率 |",
    "| theta | yearly lapse probability after them |": "| theta | 计入服务效应之后的年不续保概率 |",
    "| slow_branch | the holder's branch settles claims slowly |":
        "| slow_branch | 投保人所在分公司理赔慢 |",
    "| complaint_prone | the holder complains readily |": "| complaint_prone | 投保人爱投诉 |",
    "| unreminded | the agent usually sends no renewal reminder |":
        "| unreminded | 代理人通常不发续保提醒 |",
    "| satisfaction_latent | standard-normal satisfaction behind the survey scores |":
        "| satisfaction_latent | 调查得分背后服从标准正态分布的满意度 |",
    "- All policies of a holder renew or lapse together, at the anniversary of the first "
    "policy; cross-sold policies start on a later anniversary.":
        "- 一位投保人的所有保单在首张保单的周年日一起续保或一起不续保；交叉销售的保单从之后的某个周"
        "年日开始。",
    "- Claims still open at the end of the horizon have no settlement days.":
        "- 观察期结束时仍未结案的理赔没有结案天数。",
    "- Premiums are paid once a year at the start of each policy year.":
        "- 保费每年缴纳一次，在每个保单年度开始时缴纳。",

    # -- utility -----------------------------------------------------------------------
    "# utility: an electricity retailer": "# utility：一家售电公司",
    "Contractual, continuous (the electricity essay in the ten essays on the CRM concept, "
    "Reading {}). Every month an open account may leave. Moving out happens at a base monthly "
    "hazard by segment (residential {}, commercial {}, industrial {}), times exp({}) while in "
    "arrears. In this deregulated market accounts may also switch supplier, at residential "
    "{}, commercial {}, industrial {} a month times exp({} * in arrears + {} * outages in the "
    "last {} months {} * satisfaction).":
        "契约型、连续时间（十篇范文中的电力篇，阅读材料 {}）。每个月，在册账户都可能离开。迁出按"
        "客户类型的基准月风险率发生（`residential` {}，`commercial` {}，`industrial` {}），"
        "欠费期间乘以 exp({})。"
        "在这个开放市场中，账户还可能转换供应商，每月风险率为 `residential` {}、`commercial` {}、"
        "`industrial` {}，乘以 exp({} * 是否欠费 + {} * 最近 {} 个月的停电次数 {} * 满意度)。",
    "Contractual, continuous (the electricity essay in the ten essays on the CRM concept, "
    "Reading {}). Every month an open account may leave. Moving out happens at a base monthly "
    "hazard by segment (residential {}, commercial {}, industrial {}), times exp({}) while in "
    "arrears. In this regulated market nobody can switch supplier: accounts only close by "
    "moving out.":
        "契约型、连续时间（十篇范文中的电力篇，阅读材料 {}）。每个月，在册账户都可能离开。迁出按"
        "客户类型的基准月风险率发生（`residential` {}，`commercial` {}，`industrial` {}），"
        "欠费期间乘以 exp({})。"
        "在这个管制市场中，谁都不能转换供应商：账户只会因迁出而销户。",
    "Consumption is seasonal by segment; arrears build up when a bill is missed (each account "
    "has its own chance of missing one) and are cleared in a month with probability {}. Small "
    "arrears (up to {} monthly bills) get a friendly reminder, larger ones a disconnection "
    "warning. Surveys measure latent satisfaction with noise, lowered by the outages of the "
    "past year.":
        "用电量随客户类型呈季节性变化；漏缴一期账单就会形成欠费（每个账户漏缴的概率各不相同），欠"
        "费每个月"
        "以 {} 的概率结清。小额欠费（不超过 {} 期月账单）收到友好的提醒，更大的欠费收到断电警告。"
        "调查带噪声地测量潜在满意度，过去一年的停电会拉低满意度。",
    "Market setting: `deregulated` (generate_case(..., market={} or {}); the default dataset "
    "is deregulated).":
        "市场设置：`deregulated`（开放市场；generate_case(..., market={} 或 {})；默认数据集为开放"
        "市场）。",
    "Market setting: `regulated` (generate_case(..., market={} or {}); the default dataset "
    "is deregulated).":
        "市场设置：`regulated`（管制市场；generate_case(..., market={} 或 {})；默认数据集为开放市"
        "场）。",
    "- Accounts in arrears leave more often than the others; in a deregulated market "
    "switching makes up a large part of the closures, in a regulated market none.":
        "- 欠费账户比其他账户更常离开；在开放市场中，转换供应商占销户的很大一部分，在管制市场中则"
        "没有。",
    "- Kaplan-Meier survival can be estimated from `accounts.start_date`, `end_date` and "
    "`end_reason` (open accounts are censored at the end of the horizon).":
        "- 可以用 `accounts.start_date`、`end_date` 和 `end_reason` 做 Kaplan–Meier 生存估计"
        "（在册账户在观察期末删失）。",
    "- It can produce: accounts that close each month at a hazard that rises while in arrears "
    "and, where the market is deregulated, with recent outages and low satisfaction; seasonal "
    "consumption; arrears that build up and are cleared.":
        "- 它能产生：每个月按一定风险率销户的账户，欠费时风险率上升，在开放市场中，近期停电和满意"
        "度低时也会上升；"
        "季节性的用电量；形成又结清的欠费。",
    "- It cannot produce: a tariff or plan that changes churn; consumption that changes churn "
    "within a segment; an account that reopens; switching in the regulated market.":
        "- 它不能产生：改变客户流失的电价或套餐；在同一客户类型内改变客户流失的用电量；重新开户的"
        "账户；"
        "管制市场中的供应商转换。",
    "- Safe to draw from the truth: survival by segment and market, the higher churn of "
    "accounts in arrears and after outages, and move-outs against switches.":
        "- 可以放心从真实值得出的结论：按客户类型和市场的存续情况，欠费账户和停电之后更高的流失，"
        "以及迁出与"
        "转换供应商之比。",
    "- Not safe: that a cheaper or greener plan keeps customers (the simulation gives plans "
    "no effect), or that heavy users of one segment are more or less loyal.":
        "- 不能得出的结论：更便宜或更绿色的套餐能留住客户（模拟中套餐没有任何作用），或者同一客户"
        "类型中"
        "用电多的客户更忠诚或更不忠诚。",
    "One row per electricity account.": "每个电力账户一行。",
    "| customer_id | account id, `EL-{}`, in order of opening |":
        "| customer_id | 账户编号，`EL-{}`，按开户的先后排列 |",
    "| name | person (residential) or company name |": "| name | 个人姓名（居民）或公司名称 |",
    "| segment | residential / commercial / industrial |":
        "| segment | `residential` / `commercial` / `industrial`（居民、商业、工业） |",
    "| tariff_id | tariff (see `tariffs`) |": "| tariff_id | 电价方案（见 `tariffs`） |",
    "| area | supply area (feeder); outages are per area |":
        "| area | 供电区域（馈线）；停电按区域发生 |",
    "| address | supply address |": "| address | 用电地址 |",
    "| bill_delivery | e-bill / paper |":
        "| bill_delivery | `e-bill` / `paper`（电子账单、纸质账单） |",
    "| payment_method | direct debit / bank transfer / app / counter |":
        "| payment_method | `direct debit` / `bank transfer` / `app` / `counter`（自动扣款、银行"
        "转账、"
        "应用、柜台） |",
    "| start_date | account opened |": "| start_date | 开户日期 |",
    "| end_date | account closed (NaT while open) |": "| end_date | 销户日期（在册时为 NaT） |",
    "| end_reason | move-out / switch (to another supplier); None while open |":
        "| end_reason | `move-out` / `switch`（迁出、转换到另一家供应商）；在册时为 None |",
    "Tariffs.": "电价方案。",
    "| tariff_id | tariff id |": "| tariff_id | 电价方案编号 |",
    "| segment | account type it applies to |": "| segment | 适用的账户类型 |",
    "| plan | standard / fixed price / green |":
        "| plan | `standard` / `fixed price` / `green`（标准、固定价格、绿色电力） |",
    "| price_per_kwh | energy price, CNY per kWh |": "| price_per_kwh | 电能价格，元/kWh |",
    "| fixed_monthly | fixed charge, CNY per month |": "| fixed_monthly | 固定费用，元/月 |",
    "One row per monthly bill. " + _TX: "每张月账单一行。" + _TX_ZH,
    "| order_id | bill number (integer) |": "| order_id | 账单号（整数） |",
    "| date | bill date: the last day of the month, or the closing date |":
        "| date | 账单日期：当月最后一天，或销户日期 |",
    "| amount | amount billed, CNY |": "| amount | 账单金额，元 |",
    "| gross_margin | amount minus energy and network cost, CNY |":
        "| gross_margin | 金额减去电能和电网成本，元 |",
    "| channel | e-bill / paper |": "| channel | `e-bill` / `paper`（电子账单、纸质账单） |",
    "| kwh | consumption billed, kWh |": "| kwh | 计费用电量，kWh |",
    "| previous_balance | unpaid arrears carried into the bill, CNY |":
        "| previous_balance | 转入本期账单的未缴欠费，元 |",
    "| final_bill | the closing bill of the account |": "| final_bill | 该账户的销户账单 |",
    "Payments.": "缴费记录。",
    "| payment_id | payment number |": "| payment_id | 缴费编号 |",
    "| bill_id | bill paid (order_id in `bills`); missing for a payment that clears arrears |":
        "| bill_id | 所缴的账单（`bills` 中的 order_id）；结清欠费的缴费没有此值 |",
    "| date | date paid |": "| date | 缴费日期 |",
    "| amount | amount paid, CNY |": "| amount | 缴费金额，元 |",
    "| method | payment method |": "| method | 缴费方式 |",
    "| clears_arrears | pays off the whole arrears balance |":
        "| clears_arrears | 结清全部欠费余额 |",
    "Monthly meter reads.": "每月抄表记录。",
    "| read_id | read number |": "| read_id | 抄表编号 |",
    "| date | read date |": "| date | 抄表日期 |",
    "| meter_reading | meter index, kWh |": "| meter_reading | 电表读数，kWh |",
    "| read_type | actual / estimated |": "| read_type | `actual` / `estimated`（实抄、估抄） |",
    "Notices to accounts in arrears.": "发给欠费账户的通知。",
    "| notice_id | notice number |": "| notice_id | 通知编号 |",
    "| kind | reminder (small arrears, handled leniently) / disconnection warning |":
        "| kind | `reminder`（提醒：小额欠费，宽松处理） / `disconnection warning`（断电警告） |",
    "Power outages by supply area.": "按供电区域记录的停电。",
    "| outage_id | outage number |": "| outage_id | 停电编号 |",
    "| area | supply area |": "| area | 供电区域 |",
    "| start | start time |": "| start | 开始时间 |",
    "| duration_minutes | duration, minutes |": "| duration_minutes | 持续时间，分钟 |",
    "| cause | weather / equipment failure / planned work / third-party damage |":
        "| cause | `weather` / `equipment failure` / `planned work` / `third-party damage`"
        "（天气、设备故障、计划检修、第三方破坏） |",
    "Complaints.": "投诉。",
    "| date | time received |": "| date | 收到时间 |",
    "| type | outage / billing / meter reading / customer service |":
        "| type | `outage` / `billing` / `meter reading` / `customer service`（停电、账单、抄表、"
        "客户服务） |",
    "June satisfaction surveys of a fifth of open accounts.":
        "每年六月对五分之一在册账户进行的满意度调查。",
    "| base_kwh | typical monthly consumption, kWh |": "| base_kwh | 典型月用电量，kWh |",
    "| late_payer | chance of missing a bill |": "| late_payer | 漏缴账单的概率 |",
    "| satisfaction_latent | standard-normal satisfaction |":
        "| satisfaction_latent | 服从标准正态分布的满意度 |",
    "| move_out_hazard | base monthly hazard of moving out |":
        "| move_out_hazard | 迁出的基准月风险率 |",
    "| switch_hazard | base monthly hazard of switching ({} when regulated) |":
        "| switch_hazard | 转换供应商的基准月风险率（管制市场中为 {}） |",
    "| churn_reason | move-out / switch |":
        "| churn_reason | `move-out` / `switch`（迁出、转换供应商） |",
    "- An account's first and final bills are prorated.": "- 账户的首期和末期账单按实际天数折算。",
    "- Arrears of closed accounts stay unpaid (bad debt).": "- 已销户账户的欠费一直未缴（坏账）。",
    "- Every account opened inside the horizon, so there is no left truncation.":
        "- 每个账户都在观察期内开户，因此不存在左截断。",

    # -- catering ----------------------------------------------------------------------
    "# catering: a restaurant's member programme": "# catering：一家餐厅的会员计划",
    "Non-contractual, continuous (the catering essay in the ten essays on the CRM concept, "
    "Reading {}). A member's first visit is the join date, spread evenly over the horizon. "
    "Visits then follow Pareto/NBD exactly: Poisson at rate lambda per week, lambda ~ "
    "Gamma(r={}, alpha={}), while the member stays; the lifetime is exponential with dropout "
    "rate mu ~ Gamma(s={}, beta={}) per week, independent of lambda, so a member can be lost "
    "at any moment, before a second visit too.":
        "非契约型、连续时间（十篇范文中的餐饮篇，阅读材料 {}）。会员的第一次到店就是入会日期，在"
        "观察期内均匀分布。"
        "此后的到店严格服从 Pareto/NBD 模型：只要会员还在，就按每周 lambda 次的泊松过程到店，lamb"
        "da ~ "
        "Gamma(r={}, alpha={})；生命期服从指数分布，每周流失率 mu ~ Gamma(s={}, beta={})，与 lamb"
        "da "
        "相互独立，因此会员可能在任何时刻流失，包括在第二次到店之前。",
    "Each member has a latent taste vector over the dish categories, logistic-normal: the "
    "log-odds of each category are the log of its menu share (cold dishes {}, stir-fries {}, "
    "braised and stewed {}, seafood {}, meat and grill {}, vegetables {}, soups {}, noodles "
    "and rice {}, desserts and drinks {}) plus two latent taste factors and independent noise "
    "(sd {}). The first factor is a taste for feasting (seafood, grill, braised dishes) "
    "against everyday food (vegetables, noodles and rice, soups), the second for spicy and "
    "cold dishes and stir-fries against soups and desserts, so tastes are correlated across "
    "categories. Every dish ordered picks its category from the vector and then a dish by "
    "popularity. The bill is the sum of the dishes. Longer waits lower the rating ({} stars "
    "per {} minutes over the usual wait) but, in this simulation, do not change visiting.":
        "每位会员对各菜品类别有一个潜在的口味向量，服从 logistic-normal 分布：每个类别的对数几率"
        "等于它在菜单中"
        "占比的对数（`cold dishes` 凉菜 {0}，`stir-fries` 炒菜 {1}，`braised and stewed` 红烧与炖"
        "菜 {2}，"
        "`seafood` 海鲜 {3}，`meat and grill` 肉类与烧烤 {4}，`vegetables` 蔬菜 {5}，`soups` 汤 {"
        "6}，"
        "`noodles and rice` 面食与米饭 {7}，`desserts and drinks` 甜品与饮料 {8}），加上两个潜在"
        "口味因子和"
        "独立噪声（标准差 {9}）。第一个因子是偏好宴请菜（海鲜、烧烤、红烧菜）还是家常菜（蔬菜、面"
        "食与米饭、汤），"
        "第二个因子是偏好麻辣、凉菜和炒菜还是汤和甜品，因此各类别的口味相互关联。每点一道菜，先按"
        "口味向量选类别，"
        "再按受欢迎程度选菜。账单是各道菜之和。等位越久评分越低（比通常的等待时间每多出 {11} 分钟"
        "降低 {10} 星），"
        "但在本模拟中不影响到店。",
    "From their {}th visit members may top up stored value. On {} the restaurant offers a "
    "credit line, settled monthly, to every regular: a member with at least {} visits in the "
    "{} months before that day. {} of them accept; credit is used from that day on.":
        "会员从第 {0} 次到店起可以充值储值。{1}，餐厅向每位常客提供按月结算的赊账额度；常客指"
        "此前 {3} 个月内到店至少 {2} 次的会员。其中 {4} 的常客接受了；赊账从那天起开始使用。",
    "- The top {} of members by gross margin over the horizon bring {} of it (the catering "
    "essay: {} of guests bring {} of the profit).":
        "- 按观察期内毛利排名前 {} 的会员带来了 {} 的毛利（餐饮篇：{} 的客人带来 {} 的利润）。",
    "- Regulars are {} of the members on {}; only they hold credit lines ({} of all members).":
        "- {1} 这一天，常客占会员的 {0}；只有他们拥有赊账额度（占全部会员的 {2}）。",
    "- Members who order much from one category order more or less from others as the taste "
    "factors say: correlations of true taste shares across categories range from {} to {}, "
    "so what similar members order carries information.":
        "- 在某一类别点得多的会员，在其他类别点得多还是少，取决于口味因子：各类别真实口味占比之间"
        "的相关系数"
        "从 {} 到 {} 不等，因此相似会员点了什么是有信息量的。",
    "- First-visit return rate: {} of new members come back within {} weeks of their first "
    "visit (the mean of lambda / (lambda + mu) * ({} - exp(-(lambda + mu) * {})) over "
    "members).":
        "- 首次到店回头率：{} 的新会员在第一次到店后 {} 周内再次光顾（即 lambda / (lambda + mu) * "
        "({} - exp(-(lambda + mu) * {})) 在会员中的平均值）。",
    "- It can produce: members who are lost silently at any moment, including after a single "
    "visit; very uneven visit rates, so a few members bring most of the profit; tastes "
    "correlated across dish categories; credit lines offered only to regulars.":
        "- 它能产生：在任何时刻悄然流失的会员，包括只来过一次的会员；差异很大的到店频率，因此少数"
        "会员带来了大部分"
        "利润；在各菜品类别之间相互关联的口味；只提供给常客的赊账额度。",
    "- It cannot produce: waiting, ratings, stored value or credit changing how often a "
    "member visits or how long they stay; tastes that change over time; a link between how "
    "often a member visits and how long they stay; a lost member coming back.":
        "- 它不能产生：等位、评分、储值或赊账改变会员到店的频率或留存的时间；随时间变化的口味；会"
        "员到店频率与留存"
        "时间之间的关联；流失的会员重新回来。",
    "- Safe to draw from the truth: which members are still coming, how well P(alive) or "
    "lifecycle stages tell them apart, how concentrated profit is, and whether offers built "
    "from a member's own history or from similar members match the true taste.":
        "- 可以放心从真实值得出的结论：哪些会员仍在光顾，P(alive) 或客户生命周期阶段能多好地区分"
        "他们，利润有多集中，"
        "以及根据会员自己的历史或相似会员做出的推荐是否符合真实口味。",
    "- Not safe: that shorter waits or credit lines make members come back more often (the "
    "simulation rules it out), or that regulars were made loyal by their credit.":
        "- 不能得出的结论：更短的等位或赊账额度让会员来得更勤（模拟排除了这一点），或者常客是因为"
        "赊账才变得忠诚。",
    "One row per member of the restaurant's programme.": "餐厅会员计划的每位会员一行。",
    "| customer_id | member id, `CM-{}`, in order of joining |":
        "| customer_id | 会员编号，`CM-{}`，按入会的先后排列 |",
    "| address | address |": "| address | 地址 |",
    "| join_date | time of the first visit |": "| join_date | 第一次到店的时间 |",
    "| credit_limit | credit line for regulars, CNY ({} if none) |":
        "| credit_limit | 常客的赊账额度，元（没有则为 {}） |",
    "The menu.": "菜单。",
    "| dish_id | dish id |": "| dish_id | 菜品编号 |",
    "| name | dish |": "| name | 菜名 |",
    "| category | dish category (the taste dimensions) |":
        "| category | 菜品类别（即口味的各个维度） |",
    "| price | menu price, CNY |": "| price | 菜单价格，元 |",
    "| food_cost | ingredient cost per portion, CNY |": "| food_cost | 每份的食材成本，元 |",
    "One row per visit or order. " + _TX: "每次到店或每笔订单一行。" + _TX_ZH,
    "| order_id | visit number (integer) |": "| order_id | 到店编号（整数） |",
    "| customer_id | member |": "| customer_id | 会员 |",
    "| date | time of the visit, opening hours |": "| date | 到店时间，在营业时间内 |",
    "| amount | bill, the sum of the dishes, CNY |": "| amount | 账单，即各道菜之和，元 |",
    "| gross_margin | bill minus food cost, CNY |": "| gross_margin | 账单减去食材成本，元 |",
    "| channel | dine-in / delivery / banquet |":
        "| channel | `dine-in` / `delivery` / `banquet`（堂食、外卖、宴席） |",
    "| party_size | guests |": "| party_size | 就餐人数 |",
    "| wait_minutes | minutes waited for a table and first dish (dine-in) or for the rider "
    "(delivery); NaN for banquets |":
        "| wait_minutes | 等位和等第一道菜的分钟数（堂食）或等骑手的分钟数（外卖）；宴席为 NaN |",
    "| rating | stars {}-{} if the member rated the visit, else NaN |":
        "| rating | 会员为这次到店打分时为 {}-{} 星，否则为 NaN |",
    "| payment | card / mobile / cash / stored value / credit |":
        "| payment | `card` / `mobile` / `cash` / `stored value` / `credit`（银行卡、手机支付、现"
        "金、"
        "储值、赊账） |",
    "Dishes ordered.": "所点的菜。",
    "| order_id | visit |": "| order_id | 到店 |",
    "| dish_id | dish |": "| dish_id | 菜品 |",
    "| quantity | portions (for a banquet: one per table of ten) |":
        "| quantity | 份数（宴席：每桌十人一份） |",
    "| amount | price times quantity, CNY |": "| amount | 价格乘以份数，元 |",
    "Stored-value top-ups and monthly credit settlements of regulars.":
        "常客的储值充值和每月赊账结算。",
    "| entry_id | entry number |": "| entry_id | 记录编号 |",
    "| date | time |": "| date | 时间 |",
    "| kind | top-up / credit settlement |":
        "| kind | `top-up` / `credit settlement`（储值充值、赊账结算） |",
    "| amount | CNY |": "| amount | 元 |",
    "| lambda_ | visit rate per week while alive |": "| lambda_ | 仍是客户时每周的到店率 |",
    "| mu | dropout rate per week (mean lifetime {} / mu weeks) |":
        "| mu | 每周流失率（平均生命期 {} / mu 周） |",
    "| mean_party | typical dine-in party size |": "| mean_party | 典型的堂食就餐人数 |",
    "| delivery_propensity | chance a visit is a delivery order (outside banquets) |":
        "| delivery_propensity | 一次到店是外卖订单的概率（宴席除外） |",
    "| taste_<category> | share of dishes the member picks from each category (sums to {}); "
    "drives which dishes are ordered |":
        "| taste_<category> | 会员从各类别选菜的占比（总和为 {}）；决定点哪些菜 |",
    "- Several guests choosing the same dish appear as one line with a quantity.":
        "- 几位客人点同一道菜时，记为带份数的一行。",
    "- Stored-value balances are not enforced.": "- 储值余额不作强制校验。",
    "- Banquets have no waiting time.": "- 宴席没有等待时间。",
}
