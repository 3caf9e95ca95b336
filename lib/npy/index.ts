export * from "./npy";
