import { CreateFoundationSchema1764010000000 } from './migrations/1764010000000-CreateFoundationSchema';
import { CreateDeliveryStreams1764020000000 } from './migrations/1764020000000-CreateDeliveryStreams';
import { AddPlayerOnlineServer1764030000000 } from './migrations/1764030000000-AddPlayerOnlineServer';
import { CreateSanctions1764040000000 } from './migrations/1764040000000-CreateSanctions';
import { AddPlayerAccountCreatedAt1764070000000 } from './migrations/1764070000000-AddPlayerAccountCreatedAt';
import { AddSanctionsTicketIndex1764070001000 } from './migrations/1764070001000-AddSanctionsTicketIndex';
import { ResolveReportsOfClosedCases1764070002000 } from './migrations/1764070002000-ResolveReportsOfClosedCases';

/** Every migration, in order. Listed explicitly so jest, dist and the CLI load the same set. */
export const MIGRATIONS = [
  CreateFoundationSchema1764010000000,
  CreateDeliveryStreams1764020000000,
  AddPlayerOnlineServer1764030000000,
  CreateSanctions1764040000000,
  AddPlayerAccountCreatedAt1764070000000,
  AddSanctionsTicketIndex1764070001000,
  ResolveReportsOfClosedCases1764070002000,
];
