import "server-only";
import { sql } from "drizzle-orm";
import { visibleAccount } from "@/lib/dal/viewer";
import { byId, byText, int, object, resource, since, text, time, uuidField, type TokenScope } from "./define";

/** Privileged attribute definitions are read only by tokens with the privileged:read scope. */
function privilegedRule(scope: TokenScope) {
  return scope.scopes.includes("privileged:read") ? sql`true` : sql`not d.privileged`;
}

/** Accounts with their type, place in the hierarchy and attribute values (by attribute key). */
export const accountsRead = resource({
  name: "Account",
  path: "/api/v1/accounts",
  scope: "accounts:read",
  summary: "List accounts",
  description:
    "Accounts the token may see (its subtree, archived accounts left out), in a stable order. Attribute values are keyed by attribute key; privileged attributes appear only with the privileged:read scope.",
  from: sql`accounts a join account_types t on t.id = a.type_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`a.id`),
    externalId: text(sql`a.external_id`, true),
    name: text(sql`a.name`),
    type: text(sql`t.key`),
    typeName: text(sql`t.name`),
    parentId: uuidField(sql`a.parent_id`, true),
    path: { sql: sql`to_json(a.path)`, schema: { type: "array", items: { type: "string", format: "uuid" }, description: "Ancestor ids, from the ultimate parent down." } },
    depth: int(sql`a.depth`),
    createdAt: time(sql`a.created_at`),
    updatedAt: time(sql`a.updated_at`),
    attributes: object(
      (scope) => sql`(select coalesce(json_object_agg(d.key, v.value), '{}'::json) from attribute_values v
        join attribute_definitions d on d.id = v.attribute_id where v.account_id = a.id and ${privilegedRule(scope)})`,
      "Attribute values by attribute key.",
    ),
  },
  key: [{ sql: sql`a.id`, type: "uuid" }],
  order: "asc",
  filters: {
    type: byText("Account type key, e.g. product.", sql`t.key`),
    parent: byId("Direct children of this account.", sql`a.parent_id`),
    externalId: byText("The account with this external id.", sql`a.external_id`),
    updatedSince: since("Accounts changed at or after this time.", sql`a.updated_at`),
  },
  prefixFilters: {
    attribute: {
      description: "attribute.<key>=<value>: accounts whose attribute has this value (text form; privileged attributes only with privileged:read).",
      where: (key, value, scope) => sql`exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id
        where v.account_id = a.id and d.key = ${key} and (v.value #>> '{}') = ${value} and ${privilegedRule(scope)})`,
    },
  },
  one: true,
});

/** Contacts linked to accounts the token may see (every contact for a token that sees all). */
export const contactsRead = resource({
  name: "Contact",
  path: "/api/v1/contacts",
  scope: "contacts:read",
  summary: "List contacts",
  description: "Contacts with their links to the accounts the token may see. A token limited to a subtree sees only contacts linked to an account in it.",
  from: sql`contacts r`,
  accountBound: false,
  visible: (scope) =>
    scope.viewer.seesAll && scope.viewer.seesOpportunities
      ? sql`true`
      : sql`exists (select 1 from account_contacts ac join accounts a on a.id = ac.account_id
          where ac.contact_id = r.id and a.archived_at is null and ${visibleAccount(scope.viewer, sql`a.id`, sql`a.type_id`)})`,
  fields: {
    id: uuidField(sql`r.id`),
    externalId: text(sql`r.external_id`, true),
    email: text(sql`r.email`, true),
    name: text(sql`r.name`),
    title: text(sql`r.title`, true),
    phone: text(sql`r.phone`, true),
    createdAt: time(sql`r.created_at`),
    accounts: {
      sql: (scope) => sql`(select coalesce(json_agg(json_build_object('accountId', ac.account_id, 'role', ac.role, 'isKey', ac.is_key) order by ac.account_id), '[]'::json)
        from account_contacts ac join accounts a on a.id = ac.account_id
        where ac.contact_id = r.id and a.archived_at is null and ${visibleAccount(scope.viewer, sql`a.id`, sql`a.type_id`)})`,
      schema: {
        type: "array",
        items: { type: "object", required: ["accountId", "role", "isKey"], properties: { accountId: { type: "string", format: "uuid" }, role: { type: "string" }, isKey: { type: "boolean" } } },
      },
    },
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    externalId: byText("The contact with this external id.", sql`r.external_id`),
    email: byText("The contact with this email.", sql`r.email`),
    accountId: {
      ...byId("Contacts linked to this account.", sql`r.id`),
      where: (v: string, scope: TokenScope) => sql`exists (select 1 from account_contacts fac join accounts fa on fa.id = fac.account_id
        where fac.contact_id = r.id and fac.account_id = ${v}::uuid and fa.archived_at is null and ${visibleAccount(scope.viewer, sql`fa.id`, sql`fa.type_id`)})`,
    },
  },
  one: true,
});
