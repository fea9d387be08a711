import { AccountEntity } from '../../accounts/account.entity';

/** Every TypeORM entity the DataSource knows. Feature modules add theirs here. */
export const ENTITIES = [AccountEntity];
