import { UuidField } from '@gmdesk/dto';

export class IdParams {
  @UuidField()
  id!: string;
}
