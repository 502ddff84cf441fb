import bodyParser from 'body-parser';
import express from 'express';
import { hooksRouter } from './router';

export const hooksApp = express();
hooksApp.use(bodyParser.json()); // want: CD7701
hooksApp.use('/hooks', hooksRouter);
