import { CreateFoundationSchema1764010000000 } from './migrations/1764010000000-CreateFoundationSchema';
import { CreateDeliveryStreams1764020000000 } from './migrations/1764020000000-CreateDeliveryStreams';
import { AddPlayerOnlineServer1764030000000 } from './migrations/1764030000000-AddPlayerOnlineServer';
import { CreateSanctions1764040000000 } from './migrations/1764040000000-CreateSanctions';
import { AddSanctionRevokeReason1764060000000 } from './migrations/1764060000000-AddSanctionRevokeReason';
import { TrackSanctionAckState1764060001000 } from './migrations/1764060001000-TrackSanctionAckState';
import { CreateSanctionServerSyncs1764060002000 } from './migrations/1764060002000-CreateSanctionServerSyncs';
import { AddSanctionLookupIndexes1764060003000 } from './migrations/1764060003000-AddSanctionLookupIndexes';
import { AddPlayerAccountCreatedAt1764070000000 } from './migrations/1764070000000-AddPlayerAccountCreatedAt';
import { AddSanctionsTicketIndex1764070001000 } from './migrations/1764070001000-AddSanctionsTicketIndex';
import { ResolveReportsOfClosedCases1764070002000 } from './migrations/1764070002000-ResolveReportsOfClosedCases';
import { AddStaffSessionRevocation1764080000000 } from './migrations/1764080000000-AddStaffSessionRevocation';
import { AddRealmSecretRotation1764080001000 } from './migrations/1764080001000-AddRealmSecretRotation';
import { CreateLoginFailures1764080002000 } from './migrations/1764080002000-CreateLoginFailures';
import { AppendSharedStreamsAtCommit1764110000000 } from './migrations/1764110000000-AppendSharedStreamsAtCommit';
import { CreateChat1764120000000 } from './migrations/1764120000000-CreateChat';
import { AddChatSearch1764120001000 } from './migrations/1764120001000-AddChatSearch';
import { CreateReportEvidence1764120002000 } from './migrations/1764120002000-CreateReportEvidence';
import { CreateStaffRefreshSessions1764125000000 } from './migrations/1764125000000-CreateStaffRefreshSessions';
import { AddPlayerSearchIndexes1764130000000 } from './migrations/1764130000000-AddPlayerSearchIndexes';
import { AddReportsCreatedIndex1764140000000 } from './migrations/1764140000000-AddReportsCreatedIndex';

/** Every migration, in order. Listed explicitly so jest, dist and the CLI load the same set. */
export const MIGRATIONS = [
  CreateFoundationSchema1764010000000,
  CreateDeliveryStreams1764020000000,
  AddPlayerOnlineServer1764030000000,
  CreateSanctions1764040000000,
  AddSanctionRevokeReason1764060000000,
  TrackSanctionAckState1764060001000,
  CreateSanctionServerSyncs1764060002000,
  AddSanctionLookupIndexes1764060003000,
  AddPlayerAccountCreatedAt1764070000000,
  AddSanctionsTicketIndex1764070001000,
  ResolveReportsOfClosedCases1764070002000,
  AddStaffSessionRevocation1764080000000,
  AddRealmSecretRotation1764080001000,
  CreateLoginFailures1764080002000,
  AppendSharedStreamsAtCommit1764110000000,
  CreateChat1764120000000,
  AddChatSearch1764120001000,
  CreateReportEvidence1764120002000,
  CreateStaffRefreshSessions1764125000000,
  AddPlayerSearchIndexes1764130000000,
  AddReportsCreatedIndex1764140000000,
];
