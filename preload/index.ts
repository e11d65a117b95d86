import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './api-factory';
import { CHANNEL_PREFIX } from './contract';

contextBridge.exposeInMainWorld(
  'api',
  createApi((method, arg) => ipcRenderer.invoke(CHANNEL_PREFIX + method, arg)),
);
