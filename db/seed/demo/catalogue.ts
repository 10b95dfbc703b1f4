import type * as s from "@/db/schema";
import type { RegionKey } from "./staff";

/* The customer: names, catalogue, health dimensions, attributes and lifecycles. */

export const COMPANY_NAME = "Northwind Holdings";
export const CUSTOMER_DOMAIN = "northwind.example";
export const REGIONS: readonly { key: RegionKey; name: string; city: string }[] = [
  { key: "emea", name: "EMEA", city: "London" },
  { key: "americas", name: "Americas", city: "New York" },
  { key: "apac", name: "APAC", city: "Singapore" },
];

export type BusinessLine = { key: string; name: string; industry: string; focus: string };
export const BUSINESS_LINES: readonly BusinessLine[] = [
  { key: "retail-banking", name: "Retail Banking", industry: "Banking", focus: "branch and online payments" },
  { key: "corporate-banking", name: "Corporate Banking", industry: "Banking", focus: "cash management for corporate clients" },
  { key: "wealth-management", name: "Wealth Management", industry: "Asset management", focus: "advisor workflows and client reporting" },
  { key: "insurance", name: "Insurance", industry: "Insurance", focus: "claims and policy servicing" },
  { key: "card-services", name: "Card Services", industry: "Payments", focus: "card issuing and disputes" },
  { key: "mortgage-lending", name: "Mortgage Lending", industry: "Lending", focus: "mortgage origination and servicing" },
  { key: "consumer-lending", name: "Consumer Lending", industry: "Lending", focus: "personal loans and credit decisioning" },
  { key: "treasury-services", name: "Treasury Services", industry: "Banking", focus: "liquidity and FX operations" },
  { key: "capital-markets", name: "Capital Markets", industry: "Capital markets", focus: "trade settlement and regulatory reporting" },
  { key: "private-banking", name: "Private Banking", industry: "Banking", focus: "high-net-worth client servicing" },
  { key: "commercial-real-estate", name: "Commercial Real Estate", industry: "Real estate", focus: "lease and portfolio management" },
  { key: "asset-management", name: "Asset Management", industry: "Asset management", focus: "fund operations and investor reporting" },
];

export const PRODUCT_NAMES = [
  "Payments Hub",
  "Risk Analytics",
  "Customer Portal",
  "Fraud Shield",
  "Data Warehouse",
  "Mobile App",
  "Compliance Suite",
  "Loan Origination",
  "Treasury Console",
  "Claims Engine",
  "Onboarding Studio",
] as const;

/** Which usage modules each product leans on (weights by module key). */
export const PRODUCT_MODULE_WEIGHTS: Record<string, Record<string, number>> = {
  "Payments Hub": { payments: 6, dashboards: 3, reports: 3, alerts: 2, integrations: 2, admin: 1 },
  "Risk Analytics": { reports: 6, dashboards: 5, alerts: 3, integrations: 1, admin: 1 },
  "Customer Portal": { dashboards: 4, admin: 2, reports: 2, integrations: 2, alerts: 1 },
  "Fraud Shield": { alerts: 7, dashboards: 3, reports: 2, payments: 2, admin: 1 },
  "Data Warehouse": { integrations: 6, reports: 5, dashboards: 2, admin: 1 },
  "Mobile App": { payments: 4, dashboards: 3, alerts: 3, admin: 1 },
  "Compliance Suite": { reports: 6, alerts: 3, dashboards: 2, admin: 2 },
  "Loan Origination": { payments: 3, reports: 3, dashboards: 3, integrations: 2, admin: 1 },
  "Treasury Console": { payments: 5, dashboards: 4, reports: 3, integrations: 2 },
  "Claims Engine": { payments: 3, reports: 4, alerts: 2, dashboards: 2, integrations: 2 },
  "Onboarding Studio": { admin: 4, dashboards: 3, integrations: 3, reports: 1 },
};

export const USAGE_MODULES: readonly { key: string; name: string; activities: readonly [string, string, number][] }[] = [
  { key: "dashboards", name: "Dashboards", activities: [["view_dashboard", "View dashboard", 10], ["share_dashboard", "Share dashboard", 2], ["create_dashboard", "Create dashboard", 1]] },
  { key: "reports", name: "Reports", activities: [["run_report", "Run report", 8], ["schedule_report", "Schedule report", 2], ["export_csv", "Export CSV", 4]] },
  { key: "integrations", name: "Integrations", activities: [["sync_crm", "Sync CRM", 5], ["call_api", "Call API", 9], ["configure_webhook", "Configure webhook", 1]] },
  { key: "payments", name: "Payments", activities: [["create_payment", "Create payment", 9], ["approve_payment", "Approve payment", 6], ["reconcile_batch", "Reconcile batch", 3]] },
  { key: "alerts", name: "Alerts", activities: [["create_alert", "Create alert rule", 1], ["acknowledge_alert", "Acknowledge alert", 7], ["resolve_alert", "Resolve alert", 4]] },
  { key: "admin", name: "Administration", activities: [["invite_user", "Invite user", 2], ["update_settings", "Update settings", 3], ["manage_roles", "Manage roles", 1], ["review_audit_log", "Review audit log", 2]] },
];

export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Benjamin", "Mia", "Lucas",
  "Charlotte", "Henry", "Amelia", "Alexander", "Harper", "Daniel", "Evelyn", "Matteo", "Chloe", "Samuel",
  "Freya", "Oscar", "Ingrid", "Lars", "Anika", "Rafael", "Lucia", "Mateo", "Camila", "Thiago", "Valentina",
  "Arjun", "Ananya", "Rohan", "Divya", "Wei", "Xin", "Hiroshi", "Yuki", "Min-jun", "Seo-yeon", "Kwame", "Ama",
  "Chidi", "Zanele", "Omar", "Layla", "Youssef", "Fatima", "Mateusz", "Zofia", "Pieter", "Sanne", "Aurelie",
  "Julien", "Elif", "Emre", "Nikos", "Eleni", "Siobhan", "Declan", "Ngozi", "Tomasz", "Greta", "Luca", "Ines",
  "Ravi", "Mei", "Tariq", "Hana",
];
export const LAST_NAMES = [
  "Anderson", "Okafor", "Nakamura", "Fernandes", "Kowalski", "Lindqvist", "Haddad", "Schneider", "Rossi",
  "Dubois", "Van der Berg", "Chen", "Wong", "Patel", "Sharma", "Iyer", "Kim", "Park", "Tanaka", "Sato",
  "Mensah", "Adeyemi", "Nkosi", "Mahlangu", "Garcia", "Martinez", "Lopez", "Silva", "Costa", "Oliveira",
  "Murphy", "O'Brien", "Walsh", "Byrne", "Novak", "Horvat", "Jensen", "Nielsen", "Hansen", "Berg", "Eriksen",
  "Moreau", "Laurent", "Bianchi", "Romano", "Demir", "Yilmaz", "Papadopoulos", "Hughes", "Fletcher", "Hart",
  "Reid", "Campbell", "Fraser", "Singh", "Gupta", "Rahman", "Aziz", "Khalil", "Mendes", "Castillo", "Vargas",
  "Zhang", "Liu", "Huang", "Ito", "Suzuki", "Becker", "Vogel", "Keller",
];
export const END_USER_TITLES = [
  "Payments Operations Analyst", "Risk Analyst", "Relationship Manager", "Product Owner", "Data Analyst",
  "Branch Operations Lead", "Treasury Analyst", "Business Analyst", "Compliance Officer", "Reporting Specialist",
  "Operations Team Lead", "Application Administrator", "Process Improvement Manager", "Credit Analyst",
];

export type HealthWeek = { index: number; weekStart: number; dims: Record<string, number>; score: number; band: Band; upsell: boolean; upsellAmount: number | null };
export type Band = "poor" | "average" | "good";

export const HEALTH_DIMENSIONS = [
  // Rules the engine evaluates (lib/health/measure.ts); the seeded history was scored as if by them.
  { key: "usage", label: "Usage", weight: 0.35, rule: { kind: "usage", measure: "events", days: 30, basis: "trend", poor: 70, good: 100 } },
  { key: "engagement", label: "Engagement", weight: 0.25, rule: { kind: "engagement", measure: "days_since", touchpointTypes: ["call", "meeting", "qbr", "email"], poor: 60, good: 21 } },
  { key: "support", label: "Support", weight: 0.2, rule: { kind: "support", measure: "open", days: 30, poor: 5, good: 1 } },
  { key: "sentiment", label: "Sentiment", weight: 0.2, rule: { kind: "sentiment", survey: "nps", measure: "average", days: 365, poor: 0, good: 30 } },
] as const satisfies readonly { key: string; label: string; weight: number; rule: s.HealthRule }[];
export const POOR_BELOW = 40;
export const GOOD_FROM = 70;
export function bandOf(score: number): Band {
  return score < POOR_BELOW ? "poor" : score >= GOOD_FROM ? "good" : "average";
}

export const WEEKS = 52;

export type AttrDef = { key: string; label: string; dataType: (typeof s.attributeDataType.enumValues)[number]; group: string; keyInfo?: boolean; privileged?: boolean; rollup?: boolean; options?: string[] };
export const INDUSTRIES = ["Banking", "Insurance", "Payments", "Lending", "Asset management", "Capital markets", "Real estate"];
/** The attributes of every non-opportunity type: the company profile's attributes plus the commercial fields. */
export const COMPANY_ATTRIBUTES: AttrDef[] = [
  { key: "executive_summary", label: "Executive summary", dataType: "text", group: "Key facts", keyInfo: true },
  { key: "segment", label: "Segment", dataType: "select", group: "Key facts", keyInfo: true, options: ["Enterprise", "Mid-Market", "SMB"] },
  { key: "industry", label: "Industry", dataType: "select", group: "Key facts", keyInfo: true, options: INDUSTRIES },
  { key: "is_strategic", label: "Strategic account", dataType: "boolean", group: "Key facts" },
  { key: "arr", label: "ARR", dataType: "currency", group: "Commercial", keyInfo: true, rollup: true },
  { key: "seats", label: "Seats", dataType: "number", group: "Commercial", keyInfo: true, rollup: true },
  { key: "renewal_date", label: "Renewal date", dataType: "date", group: "Commercial", keyInfo: true },
  { key: "mrr_override", label: "MRR override", dataType: "currency", group: "Commercial" },
  { key: "discount_pct", label: "Discount (%)", dataType: "number", group: "Commercial", privileged: true },
  { key: "website", label: "Website", dataType: "url", group: "Details" },
  { key: "employees", label: "Number of employees", dataType: "number", group: "Details" },
  { key: "date_acquired", label: "Date customer acquired", dataType: "date", group: "Details" },
  { key: "yearly_revenue", label: "Yearly company revenue", dataType: "currency", group: "Details" },
  { key: "year_established", label: "Year company established", dataType: "number", group: "Details" },
  { key: "csm_notes", label: "CSM notes", dataType: "text", group: "Details", privileged: true },
];
export const OPPORTUNITY_ATTRIBUTES: AttrDef[] = [
  { key: "amount", label: "Amount", dataType: "currency", group: "Deal", keyInfo: true },
  { key: "close_date", label: "Expected close date", dataType: "date", group: "Deal", keyInfo: true },
  { key: "deal_stage", label: "Deal stage", dataType: "select", group: "Deal", keyInfo: true, options: ["Discovery", "Proposal", "Negotiation", "Verbal commit"] },
  { key: "probability", label: "Probability (%)", dataType: "number", group: "Deal", keyInfo: true },
  { key: "next_step", label: "Next step", dataType: "text", group: "Deal", keyInfo: true },
  { key: "competitor", label: "Competitor", dataType: "text", group: "Details" },
];

/** Field groups per type: [name, featured]. */
export const FIELD_GROUPS: Record<string, [string, boolean][]> = {
  company: [["Key facts", true], ["Commercial", true], ["Details", false]],
  region: [["Key facts", true], ["Commercial", true], ["Details", false]],
  line_of_business: [["Key facts", true], ["Commercial", true], ["Details", false]],
  product: [["Key facts", true], ["Commercial", true], ["Details", false]],
  opportunity: [["Deal", true], ["Details", false]],
};

export const LIFECYCLES = [
  { key: "journey", name: "Customer journey", stages: [["onboarding", "Onboarding"], ["adoption", "Adoption"], ["nurture", "Nurture"], ["renewal", "Renewal"], ["expansion", "Expansion"]] },
  { key: "onboarding", name: "Onboarding", stages: [["kickoff", "Kickoff"], ["configuration", "Configuration"], ["training", "Training"], ["go_live", "Go-live"]] },
] as const;
