import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1763900000000 implements MigrationInterface {
  name = 'Accounts1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id                 text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
        name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email              text NOT NULL,
        country            char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        locale             text NOT NULL,
        industry           text,
        company_size       text CHECK (company_size IN ('1-10', '11-50', '51-200', '201-1000', '1001+')),
        signed_up_at       timestamptz NOT NULL,
        stripe_customer_id text UNIQUE,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE accounts');
  }
}
