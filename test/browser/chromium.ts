import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with WebGPU on SwiftShader (works with no GPU), and no background traffic. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The same browser without the WebGPU switches: no adapter, as on a machine without WebGPU support. */
export const CHROMIUM_ARGS_WITHOUT_WEBGPU = CHROMIUM_ARGS.filter((a) => !/webgpu|vulkan/i.test(a));

export async function launchChromium(args: string[] = CHROMIUM_ARGS): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run "npm test" (installs it as root) or "sudo apt-get install chromium chromium-driver"`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

