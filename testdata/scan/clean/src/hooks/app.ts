import bodyParser from 'body-parser';
import express from 'express';
import { hooksRouter } from './router';

export const hooksApp = express();
hooksApp.use('/hooks', hooksRouter);
hooksApp.use(bodyParser.json());
