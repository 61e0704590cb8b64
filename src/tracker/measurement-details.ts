import type { IntensityResult } from '../intensity/carbon-intensity.js';
import type { Component, EnergySensor } from '../sensors/sensor.js';

/** How each component is measured and where the intensity comes from (after `start()`). */
export interface MeasurementDetails {
  components: Record<Component, { method: string; description: string }>;
  intensity: IntensityResult;
}

/** Method and description per component, read when asked for (a worker may still be setting up). */
export function componentDetails(
  sensors: readonly EnergySensor[],
): MeasurementDetails['components'] {
  const entry = (component: Component) => {
    const sensor = sensors.find((s) => s.component === component);
    return {
      get method() {
        return sensor?.method ?? 'none';
      },
      get description() {
        return sensor?.description ?? 'not measured';
      },
    };
  };
  return { cpu: entry('cpu'), gpu: entry('gpu'), ram: entry('ram') };
}
