/** The `native` backend's class. */
import type { DataType, backend_util } from "@tensorflow/tfjs";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { BufferPool } from "./pool";

type DataId = object;

/**
 * The backend's class: the cpu one (whose kernels read `data` the same way),
 * plus a pool of output buffers that the native kernels allocate from.
 */
export class NativeBackend extends MathBackendCPU {
  readonly pool = new BufferPool();

  constructor() {
    super();
    // The cpu backend's first write prints "looks like you are running TensorFlow.js in Node.js… install
    // tfjs-node" to stderr: advice for the cpu backend, not this one (and a notebook cell's stderr reads as an error).
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.stored(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: backend_util.BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.pool.stored(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const v = super.readSync(dataId);
    this.pool.escaped(v);
    return v;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    const v = await super.read(dataId);
    this.pool.escaped(v);
    return v;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (released && values !== undefined && !this.data.has(dataId)) this.pool.released(values);
    return released;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}
