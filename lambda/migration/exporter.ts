import { DynamoDBClient, ExportTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { exportRequest, exporterSettings, type ExporterEvent } from './export-plan';

const client = new DynamoDBClient({});

/** Scheduled: asks DynamoDB for the export that export-plan.ts decides; DynamoDB writes it to the migration bucket. */
export async function handler(event: ExporterEvent): Promise<{ exportArn?: string }> {
  const request = exportRequest(exporterSettings(process.env), event, Math.floor(Date.now() / 1000));
  const { IncrementalExportSpecification: window, ...rest } = request;
  const output = await client.send(
    new ExportTableToPointInTimeCommand({
      ...rest,
      ...(window
        ? {
            IncrementalExportSpecification: {
              ExportFromTime: new Date(window.ExportFromTime * 1000),
              ExportToTime: new Date(window.ExportToTime * 1000),
              ExportViewType: window.ExportViewType,
            },
          }
        : {}),
    }),
  );
  const exportArn = output.ExportDescription?.ExportArn;
  console.log(JSON.stringify({ message: 'export requested', type: request.ExportType, exportArn }));
  return { exportArn };
}
