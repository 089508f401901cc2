# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The selections of the addon's fields, in one place: several models, wizards and
reports show the same ones (a warning's severity is an incident's, a dealer's tier is a
tier line's), and none of them has to import another model's file for it."""

SEVERITIES = [("info", "Info"), ("warning", "Warning"), ("critical", "Critical")]

TIERS = [("A", "A"), ("B", "B"), ("C", "C"), ("new", "New Dealer")]

BASES = [
    ("revenue", "Net Invoiced Revenue"),
    ("margin", "Gross Margin"),
    ("quantity", "Quantity"),
]

# grade: lowest weighted score (0-100) that reaches it
GRADES = [("A", 85.0), ("B", 70.0), ("C", 55.0), ("D", 0.0)]

GRADES_SELECTION = [(grade, grade) for grade, _limit in GRADES]

# seed 003: usable dealers are kept, trained or reformed; unusable ones eliminated
DECISIONS = [
    ("keep", "Keep"),
    ("train", "Must Train"),
    ("reform", "Must Reform"),
    ("eliminate", "Eliminate"),
]

EVALUATION_PERIODS = [
    ("1", "Monthly"),
    ("3", "Quarterly"),
    ("6", "Half-yearly"),
    ("12", "Yearly"),
]

CRITERION_GROUPS = [
    ("enthusiasm", "Enthusiasm"),
    ("capability", "Business Capability"),
    ("credit", "Credit"),
    ("social", "Social Relations"),
]

SOURCES = [
    ("manual", "Manual"),
    ("payment_punctuality", "Payment Punctuality (days paid after due date)"),
    ("sales_growth", "Sales Growth (% against the previous period)"),
    ("return_rate", "Return Rate (credit notes / invoices, %)"),
    ("target_achievement", "Sales Target Achievement (%)"),
    (
        "expense_ratio",
        "Sales Expense Ratio (support given and claims granted / sales, %)",
    ),
]

REBATE_PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half", "Half-Year"),
    ("year", "Year"),
]

# how a program applies its brackets, and its bonus for reaching the sales targets
# (the program's, and a simulation's variant of them)
BRACKET_MODES = [
    ("whole", "Whole Volume at the Reached Rate"),
    ("marginal", "Marginal (Each Bracket's Rate on Its Part)"),
]
BONUS_TYPES = [
    ("none", "None"),
    ("fixed", "Fixed Amount"),
    ("rate", "Rate on the Net Amount"),
]
# what a month-end accrual of an open period counts (the program's setting)
ACCRUAL_BASES = [("earned", "Earned to Date"), ("projected", "Projected")]

REBATE_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("settled", "Settled"),
    ("cancel", "Cancelled"),
]

TARGET_PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter")]

CASE_TYPES = [
    ("return", "Return / Exchange"),
    ("repair", "Repair / Repackaging"),
    ("complaint", "Complaint"),
]

SUPPORT_TYPES = [
    ("advertising", "Advertising"),
    ("promotion", "Promotion Event"),
    ("training", "Technical Training"),
    ("staff", "Staff Support"),
    ("display", "Display Material"),
]

VISIT_TYPES = [
    ("dealer_visit", "Dealer Visit"),
    ("executive_visit", "Executive Visit"),
    ("quarterly_meeting", "Quarterly Business Meeting"),
    ("half_year_meeting", "Half-Year Business Meeting"),
    ("annual_meeting", "Annual Business Meeting"),
]
# the business meetings (业务会) among them: shown on the dealer's portal
MEETING_TYPES = ("quarterly_meeting", "half_year_meeting", "annual_meeting")

WARNING_TYPES = [
    ("receivable_overdue", "Overdue Receivables"),
    ("credit_usage", "Credit Usage"),
    ("sales_pace", "Sales Pace"),
    ("expense_ratio", "Sales Expense Ratio"),
    ("churn", "Churn"),
    ("incident", "Major Incident"),
    ("contract_expiry", "Contract Expiry"),
    ("dealer_stock", "Dealer Stock"),
]

DEALER_STATUSES = [
    ("prospect", "Prospect"),
    ("active", "Active"),
    ("probation", "On Probation"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]

DEALER_LEVELS = [
    ("general_distributor", "General Distributor"),
    ("secondary_wholesaler", "Secondary Wholesaler"),
    ("retailer", "Retailer"),
    ("key_account", "Key Account"),
]

# the runs that go to the background (models/dealer_job.py)
JOB_KINDS = [
    ("tiers", "Tier Run"),
    ("warnings", "Warning Evaluation"),
    ("rebates", "Rebate Computation"),
    ("period_end", "Rebate Period End"),
    ("targets", "Target Refresh"),
    ("campaign", "Evaluation Campaign"),
    ("accruals", "Rebate Accrual"),
]

JOB_STATES = [
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]

# market-expense funds, requests and claims (dealer_fund*.py)
FUND_KINDS = [
    ("advertising", "Advertising"),
    ("promotion", "Promotion Event"),
    ("training", "Training"),
    ("display", "Display"),
    ("other", "Other"),
]

FUND_STATES = [("open", "Open"), ("expired", "Expired")]

FUND_REQUEST_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
    ("expired", "Lapsed"),
    ("closed", "Closed"),
]

FUND_CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("settled", "Settled"),
]
