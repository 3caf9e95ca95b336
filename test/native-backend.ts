/** The hooks of the suites that run on the TensorFlow.js backend `native`. */
import { tf } from "../lib/autograd";
import { nativeBackendUnavailable } from "../lib/autograd/backend";

/** Skips the suite, saying why, when the backend cannot run here; goes back to wasm after it. */
export function onNativeBackend(): void {
  before(function () {
    const why = nativeBackendUnavailable();
    if (why) {
      console.warn(`skipped: ${why}`);
      this.skip();
    }
  });
  after(async () => void (await tf.setBackend("wasm")));
}
