export * from './appliance-fleet';
export * from './appliance-image';
export * from './endpoint-acceptance';
export * from './gateway-alarms';
export * from './inspection-routing';
export * from './security-gateway';
