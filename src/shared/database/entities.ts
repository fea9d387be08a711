import { AccountEntity } from '../../accounts/account.entity';
import { SubscriptionEntity } from '../../billing/subscription.entity';
import { CatalogVersionEntity } from '../../catalog/catalog-version.entity';

/** Every TypeORM entity the DataSource knows. Feature modules add theirs here. */
export const ENTITIES = [AccountEntity, SubscriptionEntity, CatalogVersionEntity];
